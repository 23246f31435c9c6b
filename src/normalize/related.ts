import { createHash } from 'node:crypto';
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

/**
 * The most titles one lookup reads from the index, whatever the archive: its cost per story
 * must not grow with the archive. Only the rarest word's list could pass it (the others are
 * read within CANDIDATE_BUDGET), and only when every word of the title is in more titles than
 * this: a small title vocabulary ("Riverton FC Beats Oakdale United 2-1", market reports) at
 * scale. Such a lookup reads the lists of word *pairs* instead (see `pairCandidates`).
 */
export const LOOKUP_POSTINGS_CAP = 1024;

/**
 * How many of the query's rarest words the pair lists are read for: a title that lacks at most
 * PAIR_WORDS - 2 of the query's words has two of these, so it is in one of their pair lists.
 */
const PAIR_WORDS = 4;

export interface RelatedIndexOptions {
  /** LOOKUP_POSTINGS_CAP unless told (tests compare against an uncapped index). */
  postingsCap?: number;
}

export interface RelatedIndex {
  resolve(title: string, selfId?: string): RelatedLink;
  /**
   * The most titles one lookup has scored so far, and the most character similarities it
   * computed: what the caps bound (for tests and the bench; no time is measured).
   */
  readonly most?: { candidates: number; similarities: number };
}

/**
 * Builds a resolver from related titles ("titles, not links") to our own stories: exact
 * after normalising case, quotes, punctuation and spacing; else the closest title by words
 * and characters when it is close enough (small wording differences). No match stays text.
 */
export function createRelatedIndex(
  targets: RelatedTarget[],
  options: RelatedIndexOptions = {},
): RelatedIndex {
  const cap = options.postingsCap ?? LOOKUP_POSTINGS_CAP;
  const sorted = [...targets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const exact = new Map<string, RelatedTarget[]>();
  // Titles are numbered by rank (position in id order: ties between equally close titles go
  // to the lowest id) and words by first appearance, and what a lookup reads per title is
  // kept in typed arrays by rank: the scan over candidates touches no objects or strings.
  const total = sorted.length;
  const wordIds = new Map<string, number>();
  const lists: number[][] = [];
  const keys: string[] = [];
  /** Per rank, side by side (16 bytes): signature low and high halves, word count, key length. */
  const titles = new Int32Array(total * 4);
  /** Where each title's word ids start in `titleWordIds` (and end, at the next title's start). */
  const wordStarts = new Int32Array(total + 1);
  const flatWords: number[] = [];
  // A 64-bit signature of each title's words (wordBit): a word whose bit the signature lacks
  // is certainly not in the title, so most words are ruled out by one test.
  sorted.forEach((target, rank) => {
    const key = titleKey(target.title);
    keys.push(key);
    pushTo(exact, key, target);
    const words = new Set(titleWords(key));
    wordStarts[rank] = flatWords.length;
    let low = 0;
    let high = 0;
    for (const word of words) {
      let id = wordIds.get(word);
      if (id === undefined) {
        id = lists.length;
        wordIds.set(word, id);
        lists.push([]);
      }
      (lists[id] as number[]).push(rank);
      flatWords.push(id);
      const bit = wordBit(id);
      if (bit < 32) low |= 1 << bit;
      else high |= 1 << (bit - 32);
    }
    titles[rank * 4] = low;
    titles[rank * 4 + 1] = high;
    titles[rank * 4 + 2] = words.size;
    titles[rank * 4 + 3] = key.length;
  });
  wordStarts[total] = flatWords.length;
  const titleWordIds = Int32Array.from(flatWords);
  const byWord = lists.map((list) => Int32Array.from(list));
  const noTitles = new Int32Array(0);
  const isCommon = (id: number): boolean => (byWord[id] as Int32Array).length > cap;
  let pairs: Map<number, Int32Array> | undefined;
  /**
   * Per pair of common words (each in more than `cap` titles), the ranks of the titles that
   * have both, ascending. Built on the first lookup that needs it: archives with a varied
   * vocabulary never do.
   */
  const pairLists = (): Map<number, Int32Array> => {
    if (pairs) return pairs;
    const lists = new Map<number, number[]>();
    for (let rank = 0; rank < total; rank++) {
      const end = wordStarts[rank + 1] as number;
      for (let i = wordStarts[rank] as number; i < end; i++) {
        const a = titleWordIds[i] as number;
        if (!isCommon(a)) continue;
        for (let j = i + 1; j < end; j++) {
          const b = titleWordIds[j] as number;
          if (isCommon(b)) pushTo(lists, pairKey(a, b, byWord.length), rank);
        }
      }
    }
    pairs = new Map([...lists].map(([key, list]) => [key, Int32Array.from(list)]));
    return pairs;
  };
  /**
   * The candidates of a query whose every word is common: the titles that have two of its
   * PAIR_WORDS rarest words, rarest pair first, at most `cap` of them. A title close enough to
   * match shares most of the query's words, so it is found unless it lacks more than
   * PAIR_WORDS - 2 of them (or the pairs themselves are in more than `cap` titles: then the
   * lowest ranks are read, and a match further on is missed; the lookup stays bounded).
   */
  const pairCandidates = (ids: number[], visit: (rank: number) => void): void => {
    const rarest = ids.slice(0, PAIR_WORDS);
    if (rarest.length < 2) {
      const list = byWord[rarest[0] as number] as Int32Array;
      for (let i = 0; i < list.length && i < cap; i++) visit(list[i] as number);
      return;
    }
    const index = pairLists();
    const lists: Int32Array[] = [];
    for (let i = 0; i < rarest.length; i++) {
      for (let j = i + 1; j < rarest.length; j++) {
        lists.push(index.get(pairKey(rarest[i] as number, rarest[j] as number, byWord.length)) ?? noTitles);
      }
    }
    lists.sort((a, b) => a.length - b.length);
    let read = 0;
    for (const list of lists) {
      if (read > 0 && read + list.length > cap) break;
      for (let i = 0; i < list.length && read < cap; i++, read++) visit(list[i] as number);
    }
  };

  /** Whether the title of this rank has the word of this id (its few ids, scanned). */
  const hasWord = (rank: number, id: number): boolean => {
    const end = wordStarts[rank + 1] as number;
    for (let i = wordStarts[rank] as number; i < end; i++) if (titleWordIds[i] === id) return true;
    return false;
  };

  /**
   * Only titles that can reach the threshold are compared. A title needs a word share of at
   * least WORDS_FOR_EDIT_SIMILARITY to be scored above it, so it shares at least a quarter of
   * the query's words, so at least one of the query's rarest (n - ceil(n/4) + 1) words
   * (prefix filtering): the commonest words never need their lists read. Of those, lists are
   * read rarest first while they fit CANDIDATE_BUDGET; the rarest is always read.
   */
  // Shared words are counted per rank, stamped with the lookup that counted them.
  // Per rank, side by side: the lookup that last counted its shared words, and that count.
  const counts = new Int32Array(total * 2);
  const touched = new Int32Array(total);
  let lookup = 0;
  const most = { candidates: 0, similarities: 0 };
  const closest = (key: string, selfId: string | undefined): RelatedTarget | undefined => {
    // A key has single spaces and no empty words (titleWords).
    const words = [...new Set(key.split(' '))];
    const byRarity = words
      .map((word) => {
        const id = wordIds.get(word) ?? -1;
        return { word, id, count: id < 0 ? 0 : (byWord[id] as Int32Array).length };
      })
      .sort((a, b) => a.count - b.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    const needed = Math.max(1, Math.ceil(words.length / 4));
    const prefixLength = words.length - needed + 1;
    if (lookup === 0x7fffffff) {
      counts.fill(0);
      lookup = 0;
    }
    lookup++;
    let touchedCount = 0;
    let read = 0;
    let listsRead = 0;
    // Every known word in more than `cap` titles: read the pair lists instead, and count
    // every word's presence per candidate below (as for words whose lists are not read).
    // Words in no title have empty lists: the first list read is the rarest known word's.
    const known = byRarity.filter((entry) => entry.count > 0);
    const viaPairs = (known[0]?.count ?? 0) > cap;
    if (viaPairs) {
      pairCandidates(
        known.map((entry) => entry.id),
        (rank) => {
          const at = rank * 2;
          if (counts[at] === lookup) return;
          counts[at] = lookup;
          counts[at + 1] = 0;
          touched[touchedCount++] = rank;
        },
      );
    }
    for (let w = 0; !viaPairs && w < prefixLength && w < byRarity.length; w++) {
      const { id, count } = byRarity[w] as { id: number; count: number };
      if (read > 0 && read + count > CANDIDATE_BUDGET) break;
      read += count;
      listsRead++;
      const list = id < 0 ? noTitles : (byWord[id] as Int32Array);
      for (let i = 0; i < list.length; i++) {
        const rank = list[i] as number;
        const at = rank * 2;
        if (counts[at] !== lookup) {
          counts[at] = lookup;
          counts[at + 1] = 0;
          touched[touchedCount++] = rank;
        }
        (counts[at + 1] as number)++;
      }
    }
    // The unread words, with the bit each sets in a signature (none for a word in no title).
    const unreadCount = byRarity.length - listsRead;
    const unreadIds = new Int32Array(unreadCount);
    const unreadLow = new Int32Array(unreadCount);
    const unreadHigh = new Int32Array(unreadCount);
    // All their bits, and how many of them share a bit with another (each such word may add
    // one more shared word than the bits present count).
    let maskLow = 0;
    let maskHigh = 0;
    let doubled = 0;
    for (let w = 0; w < unreadCount; w++) {
      const id = (byRarity[listsRead + w] as { id: number }).id;
      unreadIds[w] = id;
      if (id < 0) continue;
      const bit = wordBit(id);
      const low = bit < 32 ? 1 << bit : 0;
      const high = bit < 32 ? 0 : 1 << (bit - 32);
      unreadLow[w] = low;
      unreadHigh[w] = high;
      if (((maskLow & low) | (maskHigh & high)) !== 0) doubled++;
      maskLow |= low;
      maskHigh |= high;
    }
    const wordCount = words.length;
    const keyLength = key.length;
    let best = -1;
    let bestScore = 0;
    const consider = (rank: number, score: number): void => {
      if (score < RELATED_MATCH_THRESHOLD) return;
      if (best < 0 || score > bestScore || (score === bestScore && rank < best)) {
        best = rank;
        bestScore = score;
      }
    };
    // Candidates whose character similarity could beat their word share: tried after the
    // scan, most promising first, while they can still beat the best (see below).
    const pending: { rank: number; byWords: number; reach: number }[] = [];
    for (let t = 0; t < touchedCount; t++) {
      const rank = touched[t] as number;
      const shared = counts[rank * 2 + 1] as number;
      // The unread words can add at most one shared word each: a title that cannot reach the
      // word share where scoring starts is passed over without looking at them.
      const size = wordCount + (titles[rank * 4 + 2] as number);
      if (2 * (shared + unreadCount) < WORDS_FOR_EDIT_SIMILARITY * size) continue;
      // Nor can they add more than the unread words whose bits the title's signature has: a
      // title that cannot reach the lowest share scoring starts at on those is passed over too.
      const low = titles[rank * 4] as number;
      const high = titles[rank * 4 + 1] as number;
      const most = shared + bitCount(low & maskLow) + bitCount(high & maskHigh) + doubled;
      if ((2 * most) / size < WORDS_FOR_EDIT_SIMILARITY - 1e-9) continue;
      // Character similarity is at most `bound` (an edit per character of length difference):
      // when that is below the threshold, only the word share itself can reach it.
      const otherLength = titles[rank * 4 + 3] as number;
      const longer = Math.max(keyLength, otherLength);
      const bound = longer === 0 ? 1 : 1 - Math.abs(keyLength - otherLength) / longer;
      const minShare =
        (bound < RELATED_MATCH_THRESHOLD ? RELATED_MATCH_THRESHOLD : WORDS_FOR_EDIT_SIMILARITY) - 1e-9;
      let count = shared;
      let left = unreadCount;
      for (let w = 0; w < unreadCount; w++) {
        // Passed over once even every word left cannot reach the share needed (the margin
        // keeps rounding from ever passing over a title the full count would score).
        if ((2 * (count + left)) / size < minShare) break;
        left--;
        // A word whose bit the title's signature lacks is certainly not in it.
        if (((low & (unreadLow[w] as number)) | (high & (unreadHigh[w] as number))) === 0) continue;
        if (hasWord(rank, unreadIds[w] as number)) count++;
      }
      if ((2 * (count + left)) / size < minShare) continue;
      if ((sorted[rank] as RelatedTarget).id === selfId) continue;
      const byWords = (2 * count) / size;
      consider(rank, byWords);
      // Character similarity catches "rate"/"rates" but is costly: only for near candidates,
      // and only when the length difference alone does not already rule it out.
      if (byWords >= WORDS_FOR_EDIT_SIMILARITY && byWords < 1 && bound > byWords) {
        if (bound >= RELATED_MATCH_THRESHOLD) pending.push({ rank, byWords, reach: bound });
      }
    }
    // Highest length bound first: once it is below the best score, no candidate after it can
    // beat the best, so the result is what trying them all gives, and usually few are tried.
    // The letters two titles differ in (a lower bound on the edits) rule out most of the rest
    // in one pass each. A small-vocabulary archive can leave many within reach: at most
    // EDIT_SIMILARITY_CAP similarities are computed.
    pending.sort((a, b) => b.reach - a.reach || a.rank - b.rank);
    let tried = 0;
    for (const { rank, byWords, reach } of pending) {
      if (best >= 0 && reach < bestScore) break;
      const other = keys[rank] as string;
      const letters = bagSimilarityBound(key, other);
      if (letters <= byWords || letters < RELATED_MATCH_THRESHOLD || (best >= 0 && letters < bestScore))
        continue;
      if (tried++ === EDIT_SIMILARITY_CAP) break;
      consider(rank, Math.max(byWords, editSimilarity(key, other)));
    }
    most.candidates = Math.max(most.candidates, touchedCount);
    most.similarities = Math.max(most.similarities, tried);
    return best < 0 ? undefined : sorted[best];
  };

  return {
    most,
    resolve(title: string, selfId?: string): RelatedLink {
      const shown = cleanLine(title);
      const key = titleKey(shown);
      const target =
        (exact.get(key) ?? []).find((t) => t.id !== selfId) ?? (key ? closest(key, selfId) : undefined);
      return linkTo(shown, target);
    },
  };
}

/**
 * The most character similarities (edit distance, quadratic in the title's length) one lookup
 * computes, tried highest bound first. Only a small-vocabulary archive has more candidates
 * within reach of the best than this.
 */
export const EDIT_SIMILARITY_CAP = 64;

const bag = new Int32Array(256);

/**
 * An upper bound on `editSimilarity(a, b)`, in one pass over each: an edit fixes at most one
 * surplus character on each side, so the edit distance is at least the larger surplus of
 * either string's characters over the other's (the bag distance). Characters are counted in
 * 256 buckets, which can only lower the surplus: still a bound.
 */
export function bagSimilarityBound(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  for (let i = 0; i < a.length; i++) (bag[a.charCodeAt(i) & 255] as number)++;
  for (let i = 0; i < b.length; i++) (bag[b.charCodeAt(i) & 255] as number)--;
  let surplusA = 0;
  let surplusB = 0;
  const settle = (code: number): void => {
    const left = bag[code] as number;
    if (left > 0) surplusA += left;
    else surplusB -= left;
    bag[code] = 0;
  };
  for (let i = 0; i < a.length; i++) settle(a.charCodeAt(i) & 255);
  for (let i = 0; i < b.length; i++) settle(b.charCodeAt(i) & 255);
  return 1 - Math.max(surplusA, surplusB) / longer;
}

/** One number per unordered pair of word ids (below `words`). */
function pairKey(a: number, b: number, words: number): number {
  return a < b ? a * words + b : b * words + a;
}

/** How many bits of a 32-bit int are set. */
function bitCount(bits: number): number {
  let n = bits - ((bits >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (Math.imul((n + (n >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}

/** The signature bit (0-63) of a word id: the top 6 bits of a multiplicative hash. */
function wordBit(id: number): number {
  return Math.imul(id, 0x9e3779b1) >>> 26;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Related links resolved by an earlier build, valid while the set of stories they could point
 * at is unchanged: `targets` names that set (every story's id, title and page URL). Resolving is
 * a pure function of the set, the title and the asking story, so a rebuild after a body edit
 * reuses every link (36k lookups at 10k stories, 360k at 100k) instead of searching again.
 */
export interface RelatedMemo {
  targets: string;
  /**
   * sha1 of `<asking story id>\n<related title as written>` → the position of the story it names
   * among the targets sorted by id, or -1 for none (compact: 1.2 MB at 10k stories).
   */
  links: Record<string, number>;
}

/** Resolves through `memo` when it was made for these targets; returns the memo for next time. */
export function resolveAllRelated(
  targets: RelatedTarget[],
  queries: { selfId: string; titles: string[] }[],
  memo: RelatedMemo | undefined,
): { links: RelatedLink[][]; memo: RelatedMemo } {
  const sorted = sortTargets(targets);
  const key = targetsKey(sorted);
  const known = memo?.targets === key ? memo.links : {};
  const next: RelatedMemo = { targets: key, links: {} };
  const rank = new Map(sorted.map((target, i) => [target.id, i]));
  let index: RelatedIndex | undefined; // built only on a miss: at 100k it takes ~1 s
  const links = queries.map(({ selfId, titles }) =>
    titles.map((title): RelatedLink => {
      const memoKey = relatedQueryKey(selfId, title);
      const remembered = rememberedRank(known, memoKey, sorted.length);
      if (remembered !== undefined) {
        next.links[memoKey] = remembered;
        return linkTo(cleanLine(title), sorted[remembered]);
      }
      index ??= createRelatedIndex(targets);
      const link = index.resolve(title, selfId);
      next.links[memoKey] = link.itemId === null ? -1 : (rank.get(link.itemId) ?? -1);
      return link;
    }),
  );
  return { links, memo: next };
}

/** The targets in id order (stable: equal ids keep their order), as resolving numbers them. */
export function sortTargets<T extends RelatedTarget>(targets: T[]): T[] {
  return [...targets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The memo's key for one lookup: the asking story and the related title as written. */
export function relatedQueryKey(selfId: string, title: string): string {
  return createHash('sha1').update(`${selfId}\n${title}`).digest('base64url');
}

/** A position among the targets (or -1, none); anything else (a damaged memo) is a miss. */
export function rememberedRank(
  links: Record<string, number>,
  key: string,
  count: number,
): number | undefined {
  const rank = Object.hasOwn(links, key) ? links[key] : undefined;
  return Number.isInteger(rank) && (rank as number) >= -1 && (rank as number) < count ? rank : undefined;
}

/** The link for a related title as shown: to the story's page, or plain text when it names none. */
export function linkTo(shown: string, target: RelatedTarget | undefined): RelatedLink {
  if (!target) return { title: shown, url: null, itemId: null };
  // Most related titles name their story word for word: those share its title string instead
  // of keeping a copy (half of all related titles; ~17 M characters at 100k stories).
  return { title: shown === target.title ? target.title : shown, url: target.url, itemId: target.id };
}

/** Names the set of targets (sorted by id): a memo is valid only for the same name. */
export function targetsKey(sorted: RelatedTarget[]): string {
  return createHash('sha256')
    .update(JSON.stringify(sorted.map((t) => [t.id, t.title, t.url])))
    .digest('base64url');
}
