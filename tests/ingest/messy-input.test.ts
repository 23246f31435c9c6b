import { describe, expect, it } from 'vitest';
import { codes, parseFixture } from './helpers.ts';

describe('messy but real input is repaired, and each repair is reported', () => {
  it('CRLF line ends and a UTF-8 BOM: read as if clean, no warnings', () => {
    const { articles, diagnostics } = parseFixture('crlf-bom.txt');
    expect(diagnostics).toEqual([]);
    expect(articles).toHaveLength(1);
    const [article] = articles;
    expect(article?.title).toBe('Harbor Library Adds Sunday Hours');
    expect(article?.authors).toEqual(['Mira Castellanos']);
    expect(article?.body).toHaveLength(2);
    expect(JSON.stringify(article)).not.toMatch(/\r|\uFEFF/);
    expect(article?.related).toEqual(['Harbor City Opens Its First Public Tool Library']);
  });

  it('curly quotes and non-Latin scripts pass through intact', () => {
    const { articles, diagnostics } = parseFixture('curly-quotes-non-latin.txt');
    expect(diagnostics).toEqual([]);
    expect(articles[0]?.title).toBe('“Bienvenidos”: Night Market Celebrates Harbor City’s Many Languages');
    expect(articles[0]?.highlights[0]).toContain('日本語, العربية and Ελληνικά');
    expect(articles[0]?.body[1]).toContain('Nguyễn family sold phở');
  });

  it('control characters are removed, with a warning naming file and line', () => {
    const result = parseFixture('control-characters.txt');
    expect(result.articles).toHaveLength(1);
    expect(result.articles[0]?.body).toEqual([
      'The school board voted 5 to 2 to move high school start times later.',
      'Parents[0m had asked for the change for three years.',
    ]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'ingest/control-chars',
        file: 'fixtures/control-characters.txt',
        line: 6,
      }),
      expect.objectContaining({
        severity: 'warning',
        code: 'ingest/control-chars',
        file: 'fixtures/control-characters.txt',
        line: 7,
      }),
    ]);
  });

  it('invalid UTF-8 bytes become U+FFFD, with a warning naming file and line', () => {
    const result = parseFixture('invalid-utf8.bin');
    expect(result.articles).toHaveLength(1);
    expect(result.articles[0]?.title).toBe('Café Owners Protest Sidewalk Fee');
    expect(result.articles[0]?.body[0]).toBe(
      "Owners of caf\uFFFDs on Main Street said the fee would cost some of them \uFFFD\uFFFD more than a month's rent.",
    );
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'ingest/invalid-utf8',
        file: 'fixtures/invalid-utf8.bin',
        line: 6,
      }),
    ]);
  });

  it('a UTF-16 file with a byte-order mark is decoded, not refused', () => {
    const result = parseFixture('utf16-bom.txt');
    expect(codes(result)).toEqual([]);
    expect(result.articles[0]?.title).toBe('Ferry Terminal Gets Heated Waiting Room');
  });
});
