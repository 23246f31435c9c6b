// The per-lookup cap (LOOKUP_POSTINGS_CAP): when every word of a title is in more titles than
// one lookup may read (a small title vocabulary at scale), the lookup reads word-pair lists
// instead. These small corpora use a small cap so the capped path runs, and compare it with
// the same index uncapped (what the resolver did before). No timing here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CANDIDATE_BUDGET,
  createRelatedIndex,
  EDIT_SIMILARITY_CAP,
  type RelatedTarget,
} from '../../src/normalize/related.ts';
import { cleanLine, editSimilarity, titleKey, titleWords } from '../../src/normalize/text.ts';

const PLACES = Array.from({ length: 24 }, (_, i) => `place${String.fromCharCode(97 + i)}`);
const SUFFIXES = ['fc', 'united', 'rovers', 'athletic', 'wanderers'];
const VERBS = ['beats', 'edges', 'routs', 'holds', 'stuns', 'tops'];

/** mulberry32: the same titles on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` results like "Placea FC Beats Placeb United 2-1": every word is in a large share of
 * the titles, while a pair of places is in few (ids not in title order: ties by id count too).
 */
function results(count: number, seed = 7): RelatedTarget[] {
  const next = random(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const home = pick(PLACES);
    let away = pick(PLACES);
    while (away === home) away = pick(PLACES);
    const score = `${Math.floor(next() * 6)}-${Math.floor(next() * 6)}`;
    return {
      id: `r${(i * 37) % count}-${i}`,
      title: `${home} ${pick(SUFFIXES)} ${pick(VERBS)} ${away} ${pick(SUFFIXES)} ${score}`,
      url: `https://x/${i}/`,
    };
  });
}

// 2000 titles: each word in over CAP of them (a place in ~167), the rarest pairs in far fewer.
const CAP = 150;
const targets = results(2000);
const capped = createRelatedIndex(targets, { postingsCap: CAP });
const uncapped = createRelatedIndex(targets, { postingsCap: Number.POSITIVE_INFINITY });

/**
 * The resolver's rule scored over every title, nothing passed over (as in
 * related-reference.test.ts): exact key first, else the best score at or above the threshold,
 * ties to the lowest id.
 */
function bestOverAll(all: RelatedTarget[], title: string): string | null {
  const key = titleKey(cleanLine(title));
  const words = new Set(titleWords(key));
  let best: { id: string; score: number } | undefined;
  for (const target of keyed(all)) {
    if (target.key === key) return target.id;
    const shared = [...words].filter((w) => target.words.has(w)).length;
    const byWords = (2 * shared) / (words.size + target.words.size);
    // Characters can score no higher than the share of the longer key its length difference leaves.
    const longer = Math.max(key.length, target.key.length);
    const reach = 1 - Math.abs(key.length - target.key.length) / longer;
    const tried = byWords >= 0.4 && byWords < 1 && reach > Math.max(byWords, best?.score ?? 0.8);
    const score = tried ? Math.max(byWords, editSimilarity(key, target.key)) : byWords;
    if (score >= 0.8 && (!best || score > best.score)) best = { id: target.id, score };
  }
  return best?.id ?? null;
}

const keyedTargets = new WeakMap<RelatedTarget[], { id: string; key: string; words: Set<string> }[]>();

/** The targets in id order with their keys and words, computed once per list. */
function keyed(all: RelatedTarget[]): { id: string; key: string; words: Set<string> }[] {
  let list = keyedTargets.get(all);
  if (!list) {
    list = [...all]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((t) => ({ id: t.id, key: titleKey(t.title), words: new Set(titleWords(titleKey(t.title))) }));
    keyedTargets.set(all, list);
  }
  return list;
}

/** How many of `query`'s words `title` lacks. */
function lacking(query: string, title: string): number {
  const words = new Set(titleWords(titleKey(title)));
  return (
    new Set(titleWords(titleKey(query))).size -
    [...new Set(titleWords(titleKey(query)))].filter((w) => words.has(w)).length
  );
}

describe('related-title lookup with a per-lookup cap', () => {
  it('runs the capped path here: most words are in more titles than the cap', () => {
    const inTitles = new Map<string, number>();
    for (const t of targets)
      for (const w of new Set(titleWords(titleKey(t.title)))) inTitles.set(w, (inTitles.get(w) ?? 0) + 1);
    const common = [...inTitles.values()].filter((n) => n > CAP).length;
    expect(common / inTitles.size).toBeGreaterThan(0.8);
  });

  it('never changes a unique exact match', () => {
    const byKey = new Map<string, number>();
    for (const t of targets) byKey.set(titleKey(t.title), (byKey.get(titleKey(t.title)) ?? 0) + 1);
    fc.assert(
      fc.property(fc.nat(targets.length - 1), fc.constantFrom('', '!', ' ', '“'), (i, decoration) => {
        const target = targets[i] as RelatedTarget;
        fc.pre(byKey.get(titleKey(target.title)) === 1);
        const asked = `${decoration}${target.title.toUpperCase()}${decoration}`;
        expect(capped.resolve(asked).itemId).toBe(target.id);
      }),
      { numRuns: 300, seed: 20261204 },
    );
  });

  it('finds the same story for a near-miss title where the uncapped lookup found a clear match', () => {
    // Clear: the uncapped lookup's answer is the best over every title, and lacks at most one
    // of the query's words. (The uncapped lookup is not exhaustive either: past
    // CANDIDATE_BUDGET it reads the rarest word's titles only, and may miss a closer one.)
    const edits = fc.tuple(
      fc.nat(targets.length - 1),
      fc.nat(6),
      fc.constantFrom('drop', 'add', 'replace', 'plural'),
      fc.constantFrom(...PLACES, ...VERBS, 'again', 'report', '9'),
    );
    let compared = 0;
    fc.assert(
      fc.property(edits, ([t, at, edit, word]) => {
        const words = (targets[t] as RelatedTarget).title.split(' ');
        const i = at % words.length;
        if (edit === 'drop') words.splice(i, 1);
        else if (edit === 'add') words.splice(i, 0, word);
        else if (edit === 'replace') words[i] = word;
        else words[i] = `${words[i]}s`;
        const query = words.join(' ');
        const before = uncapped.resolve(query);
        const found = targets.find((x) => x.id === before.itemId);
        fc.pre(found !== undefined && lacking(query, found.title) <= 1);
        fc.pre(bestOverAll(targets, query) === before.itemId);
        compared++;
        expect(capped.resolve(query)).toEqual(before);
      }),
      { numRuns: 200, seed: 20261204 },
    );
    expect(compared).toBeGreaterThan(100);
  });

  it('resolves a title naming nothing to nothing, capped or not', () => {
    for (const query of [
      'Harbor Gala Raises Funds',
      'kingsport',
      'riverton fc',
      'Oil Closes Down 1.4% on Rate Fears',
    ]) {
      expect(capped.resolve(query).url).toBeNull();
      expect(uncapped.resolve(query).url).toBeNull();
    }
  });

  it('reads no more titles than the cap however many share the words', () => {
    // Every pair list longer than a cap of 10: the lookup still answers (from the lowest ranks
    // of the rarest pair), and an exact title still resolves through the exact map.
    const many = results(6000, 11);
    const index = createRelatedIndex(many, { postingsCap: 10 });
    const target = many[4321] as RelatedTarget;
    const exact = many.filter((x) => titleKey(x.title) === titleKey(target.title));
    expect(exact.map((x) => x.id)).toContain(index.resolve(target.title).itemId);
    expect(index.resolve('Harbor Gala Raises Funds').url).toBeNull();
    // Near misses, some with a word no title has (its empty list is not the one capped).
    for (let i = 0; i < 200; i++) {
      const words = (many[(i * 29) % many.length] as RelatedTarget).title.split(' ');
      words[i % words.length] = i % 2 === 0 ? `nowhere${i}` : (words[(i + 1) % words.length] as string);
      index.resolve(words.join(' '));
    }
    // The rarest list read in full only while within the cap, the others within the budget.
    expect(index.most?.candidates).toBeLessThanOrEqual(Math.max(10, CANDIDATE_BUDGET));
    expect(index.most?.similarities).toBeLessThanOrEqual(EDIT_SIMILARITY_CAP);
    const uncappedMany = createRelatedIndex(many, { postingsCap: Number.POSITIVE_INFINITY });
    uncappedMany.resolve('placea fc beats placeb united nowhere');
    expect(uncappedMany.most?.candidates).toBeGreaterThan(Math.max(10, CANDIDATE_BUDGET));
  });
});
