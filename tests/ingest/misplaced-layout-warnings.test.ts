import { describe, expect, it } from 'vitest';
import { parseFixture } from './helpers.ts';

// A header we cannot read must never reach readers silently: a section marker or a bullet list
// among the paragraphs is a warning naming the file and line (the text is kept).
describe('markers and bullets that land in a body are warned about', () => {
  it('a header not understood: the HIGHLIGHTS marker and its bullets in the body, one warning each', () => {
    const { articles, diagnostics } = parseFixture('header-not-understood.txt');
    expect(articles[0]?.highlights).toEqual([]);
    expect(diagnostics.map((d) => [d.severity, d.code, d.file, d.line])).toEqual([
      ['warning', 'ingest/marker-in-body', 'fixtures/header-not-understood.txt', 6],
      ['warning', 'ingest/bullets-in-body', 'fixtures/header-not-understood.txt', 7],
    ]);
    expect(diagnostics[1]?.message).toContain('lines 7-8');
  });

  it('a bullet block in the body and one in the analysis: one warning per block, at its first line', () => {
    const { articles, diagnostics } = parseFixture('bullets-in-body.txt');
    expect(articles[0]?.highlights).toEqual(['The board will interview the finalists in public.']);
    expect(articles[0]?.body).toContain('- a deputy superintendent from Riverside');
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['ingest/bullets-in-body', 8],
      ['ingest/bullets-in-body', 12],
    ]);
  });

  it('a story whose layout is understood gets no such warning', () => {
    expect(parseFixture('byline-own-line.txt').diagnostics).toEqual([]);
    expect(parseFixture('date-updated-published.txt').diagnostics).toEqual([]);
  });
});
