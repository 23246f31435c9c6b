import type { Article } from '../types.ts';
import { sourceKeyCompare } from './canonical.ts';
import { type Fingerprint, fingerprint } from './fingerprint.ts';
import { type GroupCache, mergeGroups } from './groups.ts';
import { BANDS, bandKeyCandidates, MAX_ARTICLES, PairCollector, pairsSharingKey } from './lsh.ts';
import { type DedupeMemo, dedupeWithMemo } from './memo.ts';
import type { DedupeResult, DedupeStats } from './result.ts';
import { hasLead, hasText, type KnownKeys, LEAD_TABLE, storyKeys, TITLE_TABLE } from './story-keys.ts';
import { UnionFind } from './union-find.ts';
import { isSameStory, type Similarity, similarity } from './verify.ts';

export { DedupeMemo } from './memo.ts';
export { normalizeText } from './normalize-text.ts';
export type { DedupeResult, DedupeStats, Merge } from './result.ts';
export {
  decodeStoryKeys,
  encodeStoryKeys,
  type KnownKeys,
  keysAt,
  STORY_KEY_COUNT,
  type StoryKeys,
  storyKeys,
  writeStoryKeys,
} from './story-keys.ts';
export { THRESHOLDS } from './verify.ts';
export type { Similarity };

/**
 * Collapses exact and near-duplicate articles across the corpus into one canonical article each.
 * Output keeps input order (of each story's canonical copy).
 *
 * With a `memo` (one per sequence of builds), work on articles passed to the previous call is
 * reused: the result is the same as without it, unmerged articles are the input objects, and
 * a story merged from the same copies as last time is the same output object.
 *
 * `known` gives the index keys of articles worked out earlier (`storyKeys`, kept beside their
 * parse): those articles' text is then read only if the index pairs them with another.
 */
export function dedupeArticles(articles: Article[], memo?: DedupeMemo, known?: KnownKeys): DedupeResult {
  const { stats: _stats, ...result } = dedupeArticlesWithStats(articles, memo, known);
  return result;
}

export function dedupeArticlesWithStats(
  articles: Article[],
  memo?: DedupeMemo,
  known?: KnownKeys,
): DedupeResult & { stats: DedupeStats } {
  if (articles.length > MAX_ARTICLES) {
    throw new RangeError(`dedupe handles up to ${MAX_ARTICLES} articles per run, got ${articles.length}`);
  }
  if (!memo) return dedupeFromScratch(articles, undefined, known);
  return dedupeWithMemo(memo, articles, (all, cache) => dedupeFromScratch(all, cache, known), known);
}

function dedupeFromScratch(
  articles: Article[],
  cache: GroupCache | undefined,
  known: KnownKeys | undefined,
): DedupeResult & { stats: DedupeStats } {
  // Work in source order, not input order, so that every tie (the centre of an oversized
  // bucket, the order of copies) is decided by the files themselves: shuffled input, same output.
  const order = sourceOrder(articles);
  const inOrder = order.map((index) => articles[index] as Article);
  const collector = candidatePairs(inOrder, known);
  // Full fingerprints (sorted shingle sets) only for articles in a candidate pair: most have none.
  const fingerprints = new Map<number, Fingerprint>();
  const fingerprintOf = (position: number): Fingerprint => {
    let print = fingerprints.get(position);
    if (!print) {
      print = fingerprint(inOrder[position] as Article);
      fingerprints.set(position, print);
    }
    return print;
  };
  const sets = new UnionFind(inOrder.length);
  let duplicatePairs = 0;
  const pairs = collector.pairs;
  for (let i = 0; i < pairs.length; i += 2) {
    const a = pairs[i] as number;
    const b = pairs[i + 1] as number;
    if (isSameStory(fingerprintOf(a), fingerprintOf(b))) {
      duplicatePairs++;
      sets.union(a, b);
    }
  }
  const { articles: merged, merges } = mergeGroups(articles, order, sets.groups(), cache);
  return {
    articles: merged,
    merges,
    stats: { articles: articles.length, candidatePairs: collector.size, duplicatePairs },
  };
}

/** How similar two articles are, and whether dedupe would call them one story. */
export function compareArticles(a: Article, b: Article): Similarity & { sameStory: boolean } {
  const fa = fingerprint(a);
  const fb = fingerprint(b);
  const sim = similarity(fa, fb);
  return { ...sim, sameStory: isSameStory(fa, fb, sim) };
}

function sourceOrder(articles: Article[]): number[] {
  return articles
    .map((_, index) => index)
    .sort((a, b) => sourceKeyCompare(articles[a]?.sources[0], articles[b]?.sources[0]) || a - b);
}

/**
 * Candidate pairs from three keys: LSH bands over MinHash signatures of the body shingles
 * (near duplicates), the opening words (copies truncated short), and, for articles with no
 * text at all, the normalized title.
 */
function candidatePairs(articles: Article[], known: KnownKeys | undefined): PairCollector {
  const collector = new PairCollector();
  const bandKeys = new Uint32Array(articles.length * BANDS);
  const withText: number[] = [];
  const withoutText: number[] = [];
  const titleKeys: number[] = [];
  const withLeadKey: number[] = [];
  const leadKeys: number[] = [];
  articles.forEach((article, position) => {
    const keys = known?.(article) ?? storyKeys(article);
    if (hasText(keys)) {
      bandKeys.set(keys.subarray(0, BANDS), withText.length * BANDS);
      withText.push(position);
    } else {
      withoutText.push(position);
      titleKeys.push(keys[TITLE_TABLE] as number);
    }
    if (hasLead(keys)) {
      withLeadKey.push(position);
      leadKeys.push(keys[LEAD_TABLE] as number);
    }
  });
  bandKeyCandidates(bandKeys, Uint32Array.from(withText), collector);
  pairsSharingKey(Uint32Array.from(leadKeys), Uint32Array.from(withLeadKey), collector);
  pairsSharingKey(Uint32Array.from(titleKeys), Uint32Array.from(withoutText), collector);
  return collector;
}
