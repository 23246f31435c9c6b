import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyKey } from '../../src/ingest/index.ts';
import { readArticles } from '../../src/pipeline/read.ts';
import { OPTIONS } from './helpers.ts';

// articles/ is the publication's sample content: the build, the screenshots and the other
// stages' tests use it, so it must stay clean and keep the cases it was written to hold.
const ARTICLES = join(import.meta.dirname, '../../articles');
const read = readArticles([ARTICLES], OPTIONS);

describe('the sample articles in articles/', () => {
  it('parse without a single diagnostic', () => {
    expect(read.diagnostics).toEqual([]);
    expect(read.articles.length).toBeGreaterThanOrEqual(24);
  });

  it('cover the format: a dump file, a within-file merge, Markdown with tags, two-author bylines', () => {
    const perFile = new Map<string, number>();
    for (const a of read.articles)
      perFile.set(a.sources[0]?.file ?? '', (perFile.get(a.sources[0]?.file ?? '') ?? 0) + 1);
    expect(Math.max(...perFile.values())).toBeGreaterThanOrEqual(3);
    expect(read.articles.some((a) => a.mergedFrom.length > 0 && a.authors.length > 0)).toBe(true);
    const markdown = read.articles.filter((a) => a.format === 'markdown');
    expect(markdown.length).toBeGreaterThanOrEqual(2);
    expect(new Set(markdown.flatMap((a) => a.tags))).toEqual(
      new Set(['climate', 'city-hall', 'science', 'transit']),
    );
    expect(read.articles.some((a) => a.authors.length === 2)).toBe(true);
    expect(read.articles.some((a) => a.published === null)).toBe(true);
    expect(read.articles.some((a) => a.highlights.length === 0)).toBe(true);
  });

  it('dates fall between 2026-10-01 and 2026-11-24', () => {
    const dates = read.articles.flatMap((a) => (a.published ? [a.published.slice(0, 10)] : []));
    expect(dates.every((d) => d >= '2026-10-01' && d <= '2026-11-24')).toBe(true);
  });

  it('hold a re-export of one story in another file with a different headline punctuation', () => {
    const reservoir = read.articles.filter((a) => copyKey(a.title).startsWith('reservoir levels reach ten'));
    expect(new Set(reservoir.map((a) => a.sources[0]?.file)).size).toBe(2);
    expect(new Set(reservoir.map((a) => a.title)).size).toBe(2);
  });

  it('related titles name sample articles (some with other case or punctuation) and some that do not exist', () => {
    const keys = new Set(read.articles.map((a) => copyKey(a.title)));
    const titles = new Set(read.articles.map((a) => a.title));
    const related = read.articles.flatMap((a) => a.related);
    expect(related.some((t) => titles.has(t))).toBe(true);
    expect(related.some((t) => !titles.has(t) && keys.has(copyKey(t)))).toBe(true);
    expect(related.some((t) => !keys.has(copyKey(t)))).toBe(true);
  });
});
