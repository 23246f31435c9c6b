import { describe, expect, it } from 'vitest';
import {
  DedupeMemo,
  decodeStoryKeys,
  dedupeArticlesWithStats,
  encodeStoryKeys,
  keysAt,
  STORY_KEY_COUNT,
  type StoryKeys,
  storyKeys,
  writeStoryKeys,
} from '../../src/dedupe/index.ts';
import type { Article } from '../../src/types.ts';
import { copyAt, makeArticle, sourceLabel } from './articles.ts';
import { loadLabelledPairs } from './pairs.ts';

/**
 * A story's index keys are worked out of its text once and kept beside its parse (the pipeline
 * keeps them in the parse cache); dedupe is handed them back (`known`) instead of reading the
 * text again. Kept keys must find exactly what worked-out keys find, and must be what it uses.
 */
const pairs = loadLabelledPairs();
// Every labelled copy once, each in its own file, so the whole set is one corpus.
const corpus: Article[] = pairs.flatMap((pair, i) => [
  copyAt(pair.a, `pairs/${String(i).padStart(3, '0')}-a.txt`),
  copyAt(pair.b, `pairs/${String(i).padStart(3, '0')}-b.txt`),
]);

/** What a dedupe result says: which copies went into which story. */
function grouping(result: ReturnType<typeof dedupeArticlesWithStats>): unknown {
  return {
    merges: result.merges.map((merge) => [sourceLabel(merge.into), merge.from.map(sourceLabel)]),
    articles: result.articles.map((article) => sourceLabel(article.sources[0])),
  };
}

/** Keys as the parse cache gives them back: through their stored text. */
function keptKeys(articles: Article[]): Map<Article, StoryKeys> {
  const decoded = decodeStoryKeys(encodeStoryKeys(allKeys(articles)), articles.length) ?? new Uint32Array();
  return new Map(articles.map((article, i) => [article, keysAt(decoded, i)]));
}

/** The keys of `articles`, one after another, as the parse cache keeps a file's. */
function allKeys(articles: Article[]): Uint32Array {
  const keys = new Uint32Array(articles.length * STORY_KEY_COUNT);
  articles.forEach((article, i) => {
    writeStoryKeys(article, keys, i * STORY_KEY_COUNT);
  });
  return keys;
}

describe('index keys kept from an earlier build', () => {
  it('come back from their stored text as they were', () => {
    const keys = allKeys(corpus);
    const decoded = decodeStoryKeys(encodeStoryKeys(keys), corpus.length);
    expect(decoded && [...decoded]).toEqual([...keys]);
    expect(corpus.map((_, i) => [...keysAt(keys, i)])).toEqual(corpus.map((a) => [...storyKeys(a)]));
    // Stored for another number of stories (a damaged value): not taken.
    expect(decodeStoryKeys(encodeStoryKeys(keys), corpus.length + 1)).toBeUndefined();
    expect(decodeStoryKeys('not base64 of keys', 1)).toBeUndefined();
  });

  it('find the same stories as keys worked out of the text, with and without a memo', () => {
    const expected = dedupeArticlesWithStats(corpus);
    expect(expected.merges.length).toBeGreaterThan(10);
    const kept = keptKeys(corpus);
    const known = (article: Article) => kept.get(article);
    const cold = dedupeArticlesWithStats(corpus, undefined, known);
    expect(grouping(cold)).toEqual(grouping(expected));
    expect(cold.stats).toEqual(expected.stats);
    const memo = new DedupeMemo();
    const warm = dedupeArticlesWithStats(corpus, memo, known);
    expect(grouping(warm)).toEqual(grouping(expected));
    // And again on the memo, with one story gone and one added.
    const changed = [...corpus.slice(1), makeArticle({ title: 'A late notice', file: 'zz.txt' })];
    expect(grouping(dedupeArticlesWithStats(changed, memo, known))).toEqual(
      grouping(dedupeArticlesWithStats(changed)),
    );
  });

  it('are what the index uses: a story with kept keys is not read until it is in a pair', () => {
    // Two stories with nothing in common, whose kept keys say their first band agrees: the
    // index must pair them on the keys alone, and verification (the text) must keep them apart.
    const first = makeArticle({
      title: 'Ferry fares rise',
      body: ['The ferry costs more from May on.'],
      file: 'a.txt',
    });
    const second = makeArticle({
      title: 'Library opens late',
      body: ['Reading rooms stay open to ten.'],
      file: 'b.txt',
    });
    const alone = dedupeArticlesWithStats([first, second]);
    expect(alone.stats.candidatePairs).toBe(0);
    const forged = new Map([first, second].map((article) => [article, storyKeys(article)]));
    (forged.get(second) as StoryKeys)[0] = (forged.get(first) as StoryKeys)[0] as number;
    const paired = dedupeArticlesWithStats([first, second], undefined, (article) => forged.get(article));
    expect(paired.stats.candidatePairs).toBe(1);
    expect(paired.stats.duplicatePairs).toBe(0);
    expect(paired.articles).toEqual([first, second]);

    // A story that no kept key pairs is never read: its text throws when touched.
    const untouchable = Object.defineProperty(makeArticle({ title: 'Sealed', file: 'c.txt' }), 'body', {
      get: () => expect.unreachable('the text of a story with kept keys was read'),
      enumerable: true,
    }) as Article;
    const kept = new Map([
      [
        untouchable,
        storyKeys(makeArticle({ title: 'Sealed', body: ['Words that pair with nothing here at all.'] })),
      ],
    ]);
    const result = dedupeArticlesWithStats([first, untouchable], undefined, (article) => kept.get(article));
    expect(result.articles).toHaveLength(2);
    const warm = dedupeArticlesWithStats([first, untouchable], new DedupeMemo(), (article) =>
      kept.get(article),
    );
    expect(warm.articles).toHaveLength(2);
  });
});
