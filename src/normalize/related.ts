import type { RelatedLink } from '../types.ts';
import { cleanLine, editSimilarity, titleKey, titleWords } from './text.ts';

/** A story a related title may point at. */
export interface RelatedTarget {
  id: string;
  title: string;
  url: string;
}

/**
 * Below this a related title is not taken to name one of our stories. Measured on pairs
 * like "Fed Raises Rates" / "The Fed raises rates again" (0.86) against unrelated titles
 * sharing a topic word (under 0.5).
 */
export const RELATED_MATCH_THRESHOLD = 0.8;

export interface RelatedIndex {
  resolve(title: string, selfId?: string): RelatedLink;
}

/**
 * Builds a resolver from related titles ("titles, not links") to our own stories: exact
 * after normalising case, quotes, punctuation and spacing; else the closest title by words
 * and characters when it is close enough (small wording differences). No match stays text.
 */
export function createRelatedIndex(targets: RelatedTarget[]): RelatedIndex {
  const sorted = [...targets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const exact = new Map<string, RelatedTarget[]>();
  const byWord = new Map<string, RelatedTarget[]>();
  const keys = new Map<string, { key: string; words: number }>();
  for (const target of sorted) {
    const key = titleKey(target.title);
    keys.set(target.id, { key, words: new Set(titleWords(key)).size });
    exact.set(key, [...(exact.get(key) ?? []), target]);
    for (const word of new Set(titleWords(key))) byWord.set(word, [...(byWord.get(word) ?? []), target]);
  }

  const closest = (key: string, selfId: string | undefined): RelatedTarget | undefined => {
    const words = [...new Set(titleWords(key))];
    // Count shared words through the inverted index: only titles sharing words are compared.
    const shared = new Map<RelatedTarget, number>();
    for (const word of words)
      for (const target of byWord.get(word) ?? []) shared.set(target, (shared.get(target) ?? 0) + 1);
    let best: { target: RelatedTarget; score: number } | undefined;
    for (const [target, count] of shared) {
      if (target.id === selfId) continue;
      const { key: targetKey, words: targetWords } = keys.get(target.id) ?? { key: '', words: 0 };
      const byWords = (2 * count) / (words.length + targetWords);
      // Character similarity catches "rate"/"rates" but is costly: only for near candidates.
      const score = byWords >= 0.4 ? Math.max(byWords, editSimilarity(key, targetKey)) : byWords;
      if (score >= RELATED_MATCH_THRESHOLD && (!best || score > best.score)) best = { target, score };
    }
    return best?.target;
  };

  return {
    resolve(title: string, selfId?: string): RelatedLink {
      const shown = cleanLine(title);
      const key = titleKey(shown);
      const target =
        (exact.get(key) ?? []).find((t) => t.id !== selfId) ?? (key ? closest(key, selfId) : undefined);
      return target
        ? { title: shown, url: target.url, itemId: target.id }
        : { title: shown, url: null, itemId: null };
    },
  };
}
