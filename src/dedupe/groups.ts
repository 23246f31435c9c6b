import type { Article, SourceRef } from '../types.ts';
import { mergeCopies, rankCopies, sourceKeyCompare } from './canonical.ts';
import type { DedupeResult, Merge } from './result.ts';

/**
 * The order dedupe works in: by first source, then input index. Every tie (the centre of an
 * oversized bucket, the order of copies) is decided by the files themselves.
 */
export function compareSources(a: Article, aIndex: number, b: Article, bIndex: number): number {
  return sourceKeyCompare(a.sources[0], b.sources[0]) || aIndex - bIndex;
}

/** One merged story as the last call built it, to hand back when its copies are the same. */
export interface MergedGroup {
  /** The copies, in source order (which is what ranking and merging depend on). */
  copies: Article[];
  /** Where the canonical copy is in `copies`. */
  canonicalAt: number;
  article: Article;
  merge: Merge;
}

/**
 * Merged stories of the previous call (`previous`, by first copy in source order) and of
 * this one (`next`, filled in here).
 */
export interface GroupCache {
  previous: Map<Article, MergedGroup>;
  next: Map<Article, MergedGroup>;
}

function sameCopies(a: Article[], b: Article[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function mergeGroup(copies: Article[]): MergedGroup {
  const rank = rankCopies(copies);
  const ranked = rank.map((i) => copies[i] as Article);
  const [canonical, ...folded] = ranked as [Article, ...Article[]];
  return {
    copies,
    canonicalAt: rank[0] as number,
    article: mergeCopies(ranked),
    merge: {
      title: canonical.title,
      into: canonical.sources[0] as SourceRef,
      from: folded.flatMap((article) => article.sources),
    },
  };
}

/**
 * Builds the output: one article per story, at the input position of its canonical copy.
 * `groups` are sets of positions in source order (`order[position]` is the input index), each
 * ascending. Unmerged articles are passed through as the same objects.
 */
export function mergeGroups(
  articles: Article[],
  order: ArrayLike<number>,
  groups: number[][],
  cache?: GroupCache,
): DedupeResult {
  // 0: kept as is; -1: folded into another copy; k > 0: the canonical copy of merged group k - 1.
  const role = new Int32Array(articles.length);
  const merged: MergedGroup[] = [];
  for (const group of groups) {
    // Input indexes of the copies, in source order.
    const inputIndexes = group.map((position) => order[position] as number);
    const copies = inputIndexes.map((index) => articles[index] as Article);
    const first = copies[0] as Article;
    const previous = cache?.previous.get(first);
    const result = previous && sameCopies(previous.copies, copies) ? previous : mergeGroup(copies);
    cache?.next.set(first, result);
    // By place in the group, not identity: the same object may be passed twice.
    for (const index of inputIndexes) role[index] = -1;
    role[inputIndexes[result.canonicalAt] as number] = merged.length + 1;
    merged.push(result);
  }
  const result: DedupeResult = { articles: [], merges: [] };
  for (let index = 0; index < articles.length; index++) {
    const r = role[index] as number;
    if (r < 0) continue;
    if (r === 0) {
      result.articles.push(articles[index] as Article);
      continue;
    }
    const group = merged[r - 1] as MergedGroup;
    result.articles.push(group.article);
    result.merges.push(group.merge);
  }
  return result;
}
