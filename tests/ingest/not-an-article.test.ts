import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSourceFile } from '../../src/ingest/index.ts';
import { OPTIONS, parseFixture } from './helpers.ts';

describe('input that is not an article is an error naming the file; nothing is thrown', () => {
  it.each([
    ['empty.txt', 'ingest/empty', undefined],
    ['blank-lines-only.txt', 'ingest/empty', 1],
    ['binary.bin', 'ingest/binary', 1],
    ['unstructured.txt', 'ingest/not-an-article', 1],
    ['markdown-no-title.md', 'ingest/missing-title', 1],
  ])('%s', (fixture, code, line) => {
    const result = parseFixture(fixture);
    expect(result.articles).toEqual([]);
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code,
        file: `fixtures/${fixture}`,
        message: expect.any(String),
        ...(line ? { line } : {}),
      },
    ]);
  });

  it('a file over maxFileBytes is refused before any parsing', () => {
    const result = parseFixture('byline-without-date.txt', { maxFileBytes: 100 });
    expect(result.articles).toEqual([]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'ingest/too-large',
        file: 'fixtures/byline-without-date.txt',
      }),
    ]);
    expect(result.diagnostics[0]?.message).toMatch(/over the 100-byte limit/);
  });

  it('never throws on arbitrary bytes, and reports every file that yields no article', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.constantFrom('x.txt', 'x.md', 'x.bin'),
        (bytes, path) => {
          const result = parseSourceFile({ path, bytes }, OPTIONS);
          if (result.articles.length === 0) {
            expect(result.diagnostics.some((d) => d.severity === 'error' && d.file === path)).toBe(true);
          }
          for (const d of result.diagnostics) expect(d.file).toBe(path);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary text built from the format's own lines", () => {
    const piece = fc.constantFrom(
      'In This Article',
      'HIGHLIGHTS',
      'A| Published HIGHLIGHTS',
      'A and B| Updated nonsense | Published July 1, 2026',
      '- bullet',
      'WHAT THIS MIGHT MEAN',
      'Related Articles',
      '',
      'Title',
      '---',
      'title: [x',
      '\r',
      '\uFEFF',
      '\u0007',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.constantFrom('x.txt', 'x.md'), (lines, path) => {
        const result = parseSourceFile({ path, bytes: new TextEncoder().encode(lines.join('\n')) }, OPTIONS);
        if (result.articles.length === 0)
          expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
