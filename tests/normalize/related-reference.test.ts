import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CANDIDATE_BUDGET,
  createRelatedIndex,
  RELATED_MATCH_THRESHOLD,
  type RelatedIndex,
  type RelatedTarget,
} from '../../src/normalize/related.ts';
import { cleanLine, editSimilarity, titleKey, titleWords } from '../../src/normalize/text.ts';
import type { RelatedLink } from '../../src/types.ts';

/**
 * The resolver's rule scored over every title, with nothing passed over: an exact key (not
 * the story itself) first, else the best score at or above the threshold, ties to the lowest id.
 * A title is scored by the share of words (Dice); from a share of 0.4 below 1, by characters
 * too when those score higher.
 */
function referenceResolve(targets: RelatedTarget[], title: string, selfId?: string): string | null {
  const key = titleKey(cleanLine(title));
  const sorted = [...targets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const exact = sorted.find((t) => titleKey(t.title) === key && t.id !== selfId);
  if (exact) return exact.id;
  if (!key) return null;
  const words = new Set(titleWords(key));
  let best: RelatedTarget | undefined;
  let bestScore = 0;
  for (const target of sorted) {
    if (target.id === selfId) continue;
    const otherKey = titleKey(target.title);
    const other = new Set(titleWords(otherKey));
    let shared = 0;
    for (const word of words) if (other.has(word)) shared++;
    const byWords = (2 * shared) / (words.size + other.size);
    const score = byWords >= 0.4 && byWords < 1 ? Math.max(byWords, editSimilarity(key, otherKey)) : byWords;
    if (score >= RELATED_MATCH_THRESHOLD && score > bestScore) {
      best = target;
      bestScore = score;
    }
  }
  return best?.id ?? null;
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
 * The resolver as it was before the candidate scan moved to typed arrays and word signatures
 * (Sets of words per title, every unread word looked up), kept to check the results against.
 */
function createOriginalIndex(targets: RelatedTarget[]): RelatedIndex {
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
   * least 0.4 to be scored above it, so it shares at least a quarter of
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
      if (2 * (entry.shared + unreadCount) < 0.4 * size) continue;
      // Character similarity is at most `bound` (an edit per character of length difference):
      // when that is below the threshold, only the word share itself can reach it.
      const longer = Math.max(key.length, entry.key.length);
      const bound = longer === 0 ? 1 : 1 - Math.abs(key.length - entry.key.length) / longer;
      const minShare = (bound < RELATED_MATCH_THRESHOLD ? RELATED_MATCH_THRESHOLD : 0.4) - 1e-9;
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
      if (byWords >= 0.4 && byWords < 1) {
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

// A few short common words (close titles, "rate"/"rates") and many rarer ones, more distinct
// words than a 64-bit signature has bits, so words share bits.
const vocabulary = [
  'the',
  'fed',
  'rate',
  'rates',
  'raises',
  'city',
  'a',
  'of',
  ...Array.from({ length: 90 }, (_, i) => `w${i}`),
];
const word = fc.constantFrom(...vocabulary);
const titleText = fc.array(word, { minLength: 1, maxLength: 7 }).map((w) => w.join(' '));

/** A query near one of the titles: a word dropped, added or replaced, or a title as is. */
const nearQuery = (titles: string[]) =>
  fc
    .tuple(fc.nat(titles.length - 1), fc.nat(8), fc.constantFrom('drop', 'add', 'replace', 'same'), word)
    .map(([t, at, edit, w]) => {
      const words = (titles[t] as string).split(' ');
      const i = at % words.length;
      if (edit === 'drop' && words.length > 1) words.splice(i, 1);
      else if (edit === 'add') words.splice(i, 0, w);
      else if (edit === 'replace') words[i] = w;
      return words.join(' ');
    });

/** A title set, queries near its titles (or any title), and which title asks. */
const scenario = (
  title: fc.Arbitrary<string>,
  sizes: { titles: [number, number]; queries: [number, number] },
) =>
  fc.array(title, { minLength: sizes.titles[0], maxLength: sizes.titles[1] }).chain((titles) =>
    fc.tuple(
      fc.constant(titles),
      fc.array(fc.oneof(nearQuery(titles), title), {
        minLength: sizes.queries[0],
        maxLength: sizes.queries[1],
      }),
      fc.nat(titles.length),
    ),
  );

/** Ids not in title order, so ties by id are tested too. */
const targetsOf = (titles: string[]) =>
  titles.map((title, i) => ({ id: `t${(i * 7) % 31}-${i}`, title, url: `https://x/${i}/` }));

describe('related titles resolve as scoring every title would', () => {
  it('with few enough titles that every list fits the candidate budget', () => {
    // 30 titles of up to 7 words: a query's lists hold at most 7 * 30 entries.
    expect(7 * 30).toBeLessThan(CANDIDATE_BUDGET);
    fc.assert(
      fc.property(scenario(titleText, { titles: [1, 30], queries: [1, 20] }), ([titles, queries, self]) => {
        const targets = targetsOf(titles);
        const selfId = targets[self]?.id;
        const index = createRelatedIndex(targets);
        for (const query of queries) {
          expect(index.resolve(query, selfId).itemId).toBe(referenceResolve(targets, query, selfId));
        }
      }),
      { numRuns: 400, seed: 20261124 },
    );
  });

  it('with lists past the candidate budget, as the resolver did before', () => {
    // Hundreds of titles from few common words: lists are passed over, words left unread.
    const crowdWord = fc.constantFrom('the', 'city', 'council', 'of', 'plan', 'vote', 'fed', 'rate', 'rates');
    const crowdTitle = fc
      .tuple(fc.array(crowdWord, { minLength: 2, maxLength: 8 }), fc.array(word, { maxLength: 4 }))
      .map(([common, rare]) => [...common, ...rare].join(' '));
    fc.assert(
      fc.property(
        scenario(crowdTitle, { titles: [300, 500], queries: [20, 40] }),
        ([titles, queries, self]) => {
          const targets = targetsOf(titles);
          const selfId = targets[self]?.id;
          const index = createRelatedIndex(targets);
          const original = createOriginalIndex(targets);
          for (const query of queries) {
            expect(index.resolve(query, selfId)).toEqual(original.resolve(query, selfId));
          }
        },
      ),
      { numRuns: 60, seed: 20261124 },
    );
  });

  it('counting each unread word when two of them fall on the same signature bit', () => {
    // The first title (lowest id) numbers its words in order: c0 and c34 share a signature
    // bit. Hundreds of titles with both keep their lists unread; the near title shares rx
    // (read) and both of them (3 of 6 words, 0.5) and is close by characters (0.9).
    const first = {
      id: 'a',
      title: Array.from({ length: 40 }, (_, i) => `c${i}`).join(' '),
      url: 'https://x/a/',
    };
    const crowd = Array.from({ length: 300 }, (_, i) => ({
      id: `c${String(i).padStart(3, '0')}`,
      title: `c0 c34 filler${i}`,
      url: `https://x/c${i}/`,
    }));
    const near = { id: 'b', title: 'rx c0 c34 alpha2 beta2 gamma2', url: 'https://x/b/' };
    const targets = [first, ...crowd, near];
    const query = 'rx c0 c34 alpha1 beta1 gamma1';
    expect(createOriginalIndex(targets).resolve(query).itemId).toBe('b');
    expect(createRelatedIndex(targets).resolve(query).itemId).toBe('b');
  });
});
