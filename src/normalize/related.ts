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

/** Below this share of words the (costly) character similarity is not tried. */
const WORDS_FOR_EDIT_SIMILARITY = 0.4;

/**
 * How many titles one lookup gathers through the words it shares with them, at most (plus the
 * list of its rarest word). Common words ("the", "of", "city") are in thousands of titles; a
 * title close enough to match also shares its rarer words, so the lists are read rarest first
 * and the commonest are never read.
 */
export const CANDIDATE_BUDGET = 256;

export interface RelatedIndex {
  resolve(title: string, selfId?: string): RelatedLink;
}

interface IndexedTarget {
  target: RelatedTarget;
  /** Position in id order: ties between equally close titles go to the lowest id. */
  rank: number;
  key: string;
  words: Set<string>;
  /** The lookup that last counted this title's shared words, and that count. */
  lookup: number;
  shared: number;
}

/**
 * Builds a resolver from related titles ("titles, not links") to our own stories: exact
 * after normalising case, quotes, punctuation and spacing; else the closest title by words
 * and characters when it is close enough (small wording differences). No match stays text.
 */
export function createRelatedIndex(targets: RelatedTarget[]): RelatedIndex {
  const sorted = [...targets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const exact = new Map<string, RelatedTarget[]>();
  const byWord = new Map<string, IndexedTarget[]>();
  sorted.forEach((target, rank) => {
    const key = titleKey(target.title);
    const indexed: IndexedTarget = {
      target,
      rank,
      key,
      words: new Set(titleWords(key)),
      lookup: 0,
      shared: 0,
    };
    pushTo(exact, key, target);
    for (const word of indexed.words) pushTo(byWord, word, indexed);
  });

  /**
   * Only titles that can reach the threshold are compared. A title needs a word share of at
   * least WORDS_FOR_EDIT_SIMILARITY to be scored above it, so it shares at least a quarter of
   * the query's words, so at least one of the query's rarest (n - ceil(n/4) + 1) words
   * (prefix filtering): the commonest words never need their lists read. Of those, lists are
   * read rarest first while they fit CANDIDATE_BUDGET; the rarest is always read.
   */
  let lookup = 0;
  const closest = (key: string, selfId: string | undefined): RelatedTarget | undefined => {
    // A key has single spaces and no empty words (titleWords).
    const words = [...new Set(key.split(' '))];
    const byRarity = words
      .map((word) => ({ word, count: byWord.get(word)?.length ?? 0 }))
      .sort((a, b) => a.count - b.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    const needed = Math.max(1, Math.ceil(words.length / 4));
    const prefixLength = words.length - needed + 1;
    // Shared words are counted on the entries themselves (stamped with this lookup), which
    // is several times cheaper than a Map per lookup.
    lookup++;
    const touched: IndexedTarget[] = [];
    let read = 0;
    let listsRead = 0;
    for (let w = 0; w < prefixLength && w < byRarity.length; w++) {
      const { word, count } = byRarity[w] as { word: string; count: number };
      if (read > 0 && read + count > CANDIDATE_BUDGET) break;
      read += count;
      listsRead++;
      for (const entry of byWord.get(word) ?? []) {
        if (entry.lookup !== lookup) {
          entry.lookup = lookup;
          entry.shared = 0;
          touched.push(entry);
        }
        entry.shared++;
      }
    }
    const unreadCount = byRarity.length - listsRead;
    let best: IndexedTarget | undefined;
    let bestScore = 0;
    for (const entry of touched) {
      if (entry.target.id === selfId) continue;
      // The unread words can add at most one shared word each: a title that cannot reach the
      // word share where scoring starts is passed over without looking at them.
      const size = words.length + entry.words.size;
      if (2 * (entry.shared + unreadCount) < WORDS_FOR_EDIT_SIMILARITY * size) continue;
      // Character similarity is at most `bound` (an edit per character of length difference):
      // when that is below the threshold, only the word share itself can reach it.
      const longer = Math.max(key.length, entry.key.length);
      const bound = longer === 0 ? 1 : 1 - Math.abs(key.length - entry.key.length) / longer;
      const minShare =
        (bound < RELATED_MATCH_THRESHOLD ? RELATED_MATCH_THRESHOLD : WORDS_FOR_EDIT_SIMILARITY) - 1e-9;
      let count = entry.shared;
      let left = unreadCount;
      for (let w = listsRead; w < byRarity.length; w++) {
        // Passed over once even every word left cannot reach the share needed (the margin
        // keeps rounding from ever passing over a title the full count would score).
        if ((2 * (count + left)) / size < minShare) break;
        left--;
        if (entry.words.has((byRarity[w] as { word: string }).word)) count++;
      }
      if ((2 * (count + left)) / size < minShare) continue;
      const byWords = (2 * count) / size;
      let score = byWords;
      // Character similarity catches "rate"/"rates" but is costly: only for near candidates,
      // and only when the length difference alone does not already rule it out.
      if (byWords >= WORDS_FOR_EDIT_SIMILARITY && byWords < 1) {
        if (bound > byWords) score = Math.max(byWords, editSimilarity(key, entry.key));
      }
      if (score < RELATED_MATCH_THRESHOLD) continue;
      if (!best || score > bestScore || (score === bestScore && entry.rank < best.rank)) {
        best = entry;
        bestScore = score;
      }
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

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
