// What dedupe returns, apart from index.ts: groups.ts and memo.ts name these types too, and
// importing them from index.ts (which imports both) made a cycle.
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

/** Counters for benchmarks and `inspect`: how much work the index saved. */
export interface DedupeStats {
  articles: number;
  /** Pairs the LSH index proposed (each verified exactly). */
  candidatePairs: number;
  /** Candidate pairs that passed verification. */
  duplicatePairs: number;
}
