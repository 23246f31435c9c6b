import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { renderExport } from '../../src/ingest/index.ts';
import type { Article } from '../../src/types.ts';
import { parseText } from './helpers.ts';

const ZONE = 'America/New_York';

// Words from several scripts, curly quotes and symbols: what real exports hold.
const word = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9'’.,:;!?$%()-]{0,11}$/),
  fc.constantFrom('“quoted”', 'café', '日本語', 'العربية', 'Ελληνικά', 'Nguyễn', '—', '$7', '1,000', 'Pho’s'),
);
const phrase = (min: number, max: number) =>
  fc.array(word, { minLength: min, maxLength: max }).map((words) => words.join(' '));

const MARKERS = /^(in this article|highlights:?|what this might mean:?|related articles:?)$/i;
// Lines the format reserves: a field holding one of them could not be told apart from structure.
const text = (min: number, max: number) => phrase(min, max).filter((s) => !MARKERS.test(s));
// A paragraph starting with "- " right after the bullets would read as one more highlight.
const paragraph = text(1, 30).filter((s) => !/^[-•*]\s/.test(s));
const name = fc
  .array(fc.stringMatching(/^[A-Z][a-zé’'-]{1,10}$/), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join(' '))
  .filter((s) => !/^(by|and|published|updated)\b/i.test(s) && !/\b(and|by)\b/i.test(s));
const date = fc
  .integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 })
  .map(
    (seconds) =>
      DateTime.fromSeconds(seconds, { zone: ZONE }).toISO({ suppressMilliseconds: true }) as string,
  );

const exportArticle: fc.Arbitrary<Article> = fc.record({
  title: text(1, 12),
  authors: fc.array(name, { maxLength: 3 }),
  published: fc.option(date, { nil: null }),
  updated: fc.option(date, { nil: null }),
  highlights: fc.array(text(1, 20), { maxLength: 5 }),
  body: fc.array(paragraph, { minLength: 1, maxLength: 6 }),
  analysis: fc.array(paragraph, { maxLength: 3 }),
  related: fc.array(text(1, 12), { maxLength: 6 }),
  tags: fc.constant([]),
  canonicalUrl: fc.constant(null),
  format: fc.constant('text' as const),
  sources: fc.constant([]),
  mergedFrom: fc.constant([]),
});

describe('renderExport', () => {
  it('writes an article that parses back to the same article', () => {
    fc.assert(
      fc.property(exportArticle, (article) => {
        const written = renderExport(article);
        const { articles, diagnostics } = parseText(written, 'round-trip.txt');
        expect(diagnostics).toEqual([]);
        expect(articles).toHaveLength(1);
        const lines = written.split('\n').length - 1;
        expect(articles[0]).toEqual({
          ...article,
          sources: [{ file: 'round-trip.txt', startLine: 1, endLine: lines }],
        });
      }),
      { numRuns: 300 },
    );
  });

  it('articles written back to back read as a dump file, each in its own line range', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(exportArticle, { minLength: 2, maxLength: 4, selector: (a) => a.title.toLowerCase() }),
        (list) => {
          const written = list.map(renderExport).join('');
          const { articles } = parseText(written, 'dump.txt');
          expect(articles.map((a) => a.title)).toEqual(list.map((a) => a.title));
          expect(articles.map((a) => a.body)).toEqual(list.map((a) => a.body));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the same article twice in a file, once without its byline, reads back as that one article', () => {
    fc.assert(
      fc.property(exportArticle, fc.boolean(), (article, bylineFirst) => {
        const bare = renderExport({ ...article, authors: [], published: null, updated: null });
        const full = renderExport(article);
        const written = bylineFirst ? full + bare : bare + full;
        const { articles } = parseText(written, 'twice.txt');
        expect(articles).toHaveLength(1);
        const { sources, mergedFrom, ...fields } = articles[0] as Article;
        const { sources: _s, mergedFrom: _m, ...expected } = article;
        expect(fields).toEqual(expected);
        expect(sources).toHaveLength(2);
        expect(mergedFrom).toEqual([sources[1]]);
      }),
      { numRuns: 200 },
    );
  });
});
