import type { Article, SourceRef } from '../types.ts';

/** One group of copies collapsed into a single article, for the publisher to check. */
export interface Merge {
  title: string;
  /** The canonical copy's source. */
  into: SourceRef;
  /** The other copies folded into it. */
  from: SourceRef[];
}

export interface DedupeResult {
  articles: Article[];
  merges: Merge[];
}

/**
 * Collapses exact and near-duplicate articles across the corpus into one canonical article each.
 * CONTRACT STUB: implemented by the dedupe work (issue 3); for now every article is unique.
 */
export function dedupeArticles(articles: Article[]): DedupeResult {
  return { articles, merges: [] };
}
