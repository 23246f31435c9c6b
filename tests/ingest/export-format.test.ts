import { describe, expect, it } from 'vitest';
import { codes, parseFixture } from './helpers.ts';

describe('one article in the export format', () => {
  it('byline sharing the HIGHLIGHTS line with "Published" and no date', () => {
    const { articles, diagnostics } = parseFixture('byline-without-date.txt');
    expect(diagnostics).toEqual([]);
    expect(articles).toEqual([
      {
        title: 'Harbor City Opens Its First Public Tool Library',
        authors: ['Mira Castellanos'],
        published: null,
        updated: null,
        highlights: [
          'The library lends drills, ladders and sewing machines free to anyone with a library card.',
          'Volunteers repair returned tools every Saturday morning.',
        ],
        body: [
          'The Eastside branch of the Harbor City Public Library opened a tool-lending room on Monday, stocked with more than 400 donated items.',
          'Borrowers can take up to three tools for a week, and the library expects ladders and pressure washers to be the first to run out.',
        ],
        analysis: [],
        related: ['Eastside Branch Extends Weekend Hours'],
        tags: [],
        canonicalUrl: null,
        format: 'text',
        sources: [{ file: 'fixtures/byline-without-date.txt', startLine: 1, endLine: 11 }],
        mergedFrom: [],
      },
    ]);
  });

  it('byline on its own line, then HIGHLIGHTS', () => {
    const [article] = parseFixture('byline-own-line.txt').articles;
    expect(article?.authors).toEqual(['Owen Achterberg']);
    expect(article?.published).toBe('2026-10-09T00:00:00-04:00');
    expect(article?.highlights).toEqual(['Single-ride ferry fares stay at $3.25 through March.']);
    expect(article?.body[0]).toMatch(/^The Harbor Transit Authority said/);
  });

  it('"A and B" is two authors', () => {
    const [article] = parseFixture('two-authors.txt').articles;
    expect(article?.authors).toEqual(['Priya Raman', 'Tomasz Wierzbicki']);
    expect(article?.published).toBe('2026-10-14T16:30:00-04:00');
    expect(article?.body).toHaveLength(2);
    expect(article?.related).toEqual([]);
  });

  it('HIGHLIGHTS with no bullets: the body starts on the very next line', () => {
    const { articles, diagnostics } = parseFixture('sections-missing.txt');
    expect(diagnostics).toEqual([]);
    expect(articles[0]).toMatchObject({
      authors: [],
      published: null,
      highlights: [],
      body: [
        'The monthly meeting of the library board will take place on Thursday instead of Tuesday because of the election.',
      ],
      analysis: [],
      related: [],
    });
  });

  it('no HIGHLIGHTS, no analysis, no Related Articles markers at all', () => {
    const { articles, diagnostics } = parseFixture('sections-missing-no-markers.txt');
    expect(diagnostics).toEqual([]);
    expect(articles[0]?.body).toHaveLength(2);
    expect(articles[0]?.highlights).toEqual([]);
    expect(articles[0]?.related).toEqual([]);
    expect(articles[0]?.sources[0]).toMatchObject({ startLine: 1, endLine: 5 });
  });

  it('text before the first title is reported with its lines, and the article still read', () => {
    const result = parseFixture('stray-text-before-title.txt');
    expect(result.articles.map((a) => a.title)).toEqual(['Marathon Route Changes Announced']);
    expect(result.articles[0]?.sources[0]).toMatchObject({ startLine: 2, endLine: 8 });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'ingest/stray-text',
        line: 1,
        file: 'fixtures/stray-text-before-title.txt',
      }),
    ]);
    expect(codes(result)).toEqual(['warning:ingest/stray-text']);
  });
});

describe('bylines and file types that bend the format', () => {
  it('a bare name before HIGHLIGHTS is the byline', () => {
    const { articles, diagnostics } = parseFixture('byline-name-only.txt');
    expect(diagnostics).toEqual([]);
    expect(articles[0]?.authors).toEqual(['Beatriz Almeida']);
    expect(articles[0]?.highlights).toHaveLength(1);
    expect(articles[0]?.body).toHaveLength(1);
  });

  it('an export saved with a .md extension is still read as an export', () => {
    const { articles, diagnostics } = parseFixture('export-saved-as-markdown.md');
    expect(diagnostics).toEqual([]);
    expect(articles[0]).toMatchObject({
      format: 'text',
      authors: ['Kofi Asante'],
      published: '2026-11-01T00:00:00-04:00',
    });
  });
});
