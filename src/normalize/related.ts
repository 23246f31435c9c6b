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
    const words = [...new Set(titleWords(key))];
    const byRarity = words.sort(
      (a, b) => (byWord.get(a)?.length ?? 0) - (byWord.get(b)?.length ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
    );
    const needed = Math.max(1, Math.ceil(words.length / 4));
    const prefixLength = words.length - needed + 1;
    // Shared words are counted on the entries themselves (stamped with this lookup), which
    // is several times cheaper than a Map per lookup.
    lookup++;
    const touched: IndexedTarget[] = [];
    let read = 0;
    let listsRead = 0;
    for (const word of byRarity.slice(0, prefixLength)) {
      const list = byWord.get(word) ?? [];
      if (read > 0 && read + list.length > CANDIDATE_BUDGET) break;
      read += list.length;
      listsRead++;
      for (const entry of list) {
        if (entry.lookup !== lookup) {
          entry.lookup = lookup;
          entry.shared = 0;
          touched.push(entry);
        }
        entry.shared++;
      }
    }
    const unread = byRarity.slice(listsRead);
    let best: { entry: IndexedTarget; score: number } | undefined;
    for (const entry of touched) {
      if (entry.target.id === selfId) continue;
      // The unread words can add at most one shared word each: a title that cannot reach the
      // word share where scoring starts is passed over without looking at them.
      const size = words.length + entry.words.size;
      if (2 * (entry.shared + unread.length) < WORDS_FOR_EDIT_SIMILARITY * size) continue;
      let count = entry.shared;
      for (const word of unread) if (entry.words.has(word)) count++;
      const byWords = (2 * count) / size;
      let score = byWords;
      // Character similarity catches "rate"/"rates" but is costly: only for near candidates,
      // and only when the length difference alone does not already rule it out.
      if (byWords >= WORDS_FOR_EDIT_SIMILARITY && byWords < 1) {
        const longer = Math.max(key.length, entry.key.length);
        const bound = longer === 0 ? 1 : 1 - Math.abs(key.length - entry.key.length) / longer;
        if (bound > byWords) score = Math.max(byWords, editSimilarity(key, entry.key));
      }
      if (score < RELATED_MATCH_THRESHOLD) continue;
      if (!best || score > best.score || (score === best.score && entry.rank < best.entry.rank))
        best = { entry, score };
    }
    return best?.entry.target;
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
