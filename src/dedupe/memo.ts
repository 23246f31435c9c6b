import type { Article } from '../types.ts';
import { type Fingerprint, fingerprint, indexKeys } from './fingerprint.ts';
import { compareSources, type GroupCache, type MergedGroup, mergeGroups } from './groups.ts';
import type { DedupeResult, DedupeStats } from './index.ts';
import { BANDS, bandKey, MAX_ARTICLES, MAX_BUCKET_PAIRS } from './lsh.ts';
import { SIGNATURE_SLOTS } from './minhash.ts';
import { UnionFind } from './union-find.ts';
import { isSameStory } from './verify.ts';

/**
 * What a warm rebuild keeps of the last dedupe call, so that a call with a few articles
 * changed costs little more than a pass over the input.
 *
 * - Per article object (WeakMap: collectable with the article): its index keys (one per LSH
 *   band, the lead key, the title key) and, once it has been in a candidate pair, its full
 *   fingerprint. Articles are immutable, so these never go stale.
 * - Per article of the last call, a slot with a number that stays the same while the article
 *   is passed in, and the bucket tables: for each index key (32 bands, lead, title) the
 *   sorted (key, slot) pairs, patched by merge for the articles that came and went.
 * - The verdict of each candidate pair of the last call, by slot numbers.
 * - Each merged story of the last call, by its copies: the same copies in the same order give
 *   the same output object.
 *
 * The candidate pairs are recomputed from the tables on every call with the same rule as a
 * call without a memo (all pairs in a bucket, a star from the first copy in source order in
 * an oversized one), so the result is the same; only the hashing, sorting and verification
 * are saved. Everything of an article that is no longer passed is dropped on the next call.
 */
export class DedupeMemo {
  constructor() {
    states.set(this, new MemoState());
  }
}

const states = new WeakMap<DedupeMemo, MemoState>();

/** Index keys of one article: bands 0..BANDS-1, then the lead key, then the title key. */
const LEAD_TABLE = BANDS;
const TITLE_TABLE = BANDS + 1;
const TABLES = BANDS + 2;
/** Slot numbers are packed below a 32-bit key in one double, as in lsh.ts. */
const SPAN = MAX_ARTICLES;

interface ArticleKeys {
  hasText: boolean;
  hasLead: boolean;
  /** The key per table; meaningful only for the tables the article is in (`inTable`). */
  keys: Uint32Array;
  print: Fingerprint | null;
}

interface Slot {
  article: Article;
  index: ArticleKeys;
  /** Stable while the article is passed in every call; never reused before a reset. */
  id: number;
  /** The call that last saw this article. */
  seen: number;
  /** Input index and position in source order, in the current call. */
  at: number;
  position: number;
}

class MemoState {
  readonly keysOf = new WeakMap<Article, ArticleKeys>();
  slots = new Map<Article, Slot>();
  byId = new Map<number, Slot>();
  /** The last call's slots in source order. */
  sorted: Slot[] = [];
  tables: Float64Array[] = emptyTables();
  verdicts = new Map<number, boolean>();
  groups = new Map<Article, MergedGroup>();
  nextId = 0;
  call = 0;

  /** Forgets the last call (not the per-article keys, which depend on the article alone). */
  reset(): void {
    this.slots = new Map();
    this.byId = new Map();
    this.sorted = [];
    this.tables = emptyTables();
    this.verdicts = new Map();
    this.groups = new Map();
    this.nextId = 0;
  }
}

function emptyTables(): Float64Array[] {
  return Array.from({ length: TABLES }, () => new Float64Array(0));
}

function inTable(keys: ArticleKeys, table: number): boolean {
  if (table < BANDS) return keys.hasText;
  return table === LEAD_TABLE ? keys.hasLead : !keys.hasText;
}

const signature = new Uint32Array(SIGNATURE_SLOTS);

function keysOf(state: MemoState, article: Article): ArticleKeys {
  const known = state.keysOf.get(article);
  if (known) return known;
  const index = indexKeys(article, signature, 0);
  const keys = new Uint32Array(TABLES);
  if (index.hasText) for (let band = 0; band < BANDS; band++) keys[band] = bandKey(signature, 0, band);
  if (index.leadKey !== null) keys[LEAD_TABLE] = index.leadKey;
  if (!index.hasText) keys[TITLE_TABLE] = index.titleKey;
  const result: ArticleKeys = { hasText: index.hasText, hasLead: index.leadKey !== null, keys, print: null };
  state.keysOf.set(article, result);
  return result;
}

function fingerprintOf(slot: Slot): Fingerprint {
  if (!slot.index.print) slot.index.print = fingerprint(slot.article);
  return slot.index.print;
}

type Result = DedupeResult & { stats: DedupeStats };

/**
 * `dedupeArticlesWithStats` with a memo. An input holding the same object twice is not handled
 * incrementally: the memo forgets the last call and `fromScratch` runs, reusing only the
 * merged stories.
 */
export function dedupeWithMemo(
  memo: DedupeMemo,
  articles: Article[],
  fromScratch: (articles: Article[], cache: GroupCache) => Result,
): Result {
  const state = states.get(memo);
  if (!state) throw new TypeError('not a DedupeMemo');
  if (state.nextId + articles.length > SPAN) state.reset();
  const call = ++state.call;
  const added: Slot[] = [];
  for (let at = 0; at < articles.length; at++) {
    const article = articles[at] as Article;
    let slot = state.slots.get(article);
    if (slot?.seen === call) {
      const cache: GroupCache = { previous: state.groups, next: new Map() };
      state.reset();
      const result = fromScratch(articles, cache);
      state.groups = cache.next;
      return result;
    }
    if (!slot) {
      slot = { article, index: keysOf(state, article), id: state.nextId++, seen: 0, at: 0, position: 0 };
      state.slots.set(article, slot);
      state.byId.set(slot.id, slot);
      added.push(slot);
    }
    slot.seen = call;
    slot.at = at;
  }
  const removed: Slot[] = [];
  const kept: Slot[] = [];
  for (const slot of state.sorted) {
    if (slot.seen === call) kept.push(slot);
    else {
      removed.push(slot);
      state.slots.delete(slot.article);
      state.byId.delete(slot.id);
    }
  }
  // Last call's source order is still sorted but for ties broken by a changed input index;
  // TimSort makes the re-sort of an almost sorted list about one pass.
  const sorted = kept.concat(added);
  sorted.sort((a, b) => compareSources(a.article, a.at, b.article, b.at));
  state.sorted = sorted;
  const order = new Uint32Array(sorted.length);
  for (let position = 0; position < sorted.length; position++) {
    const slot = sorted[position] as Slot;
    slot.position = position;
    order[position] = slot.at;
  }
  if (removed.length > 0 || added.length > 0) patchTables(state, removed, added);

  const pairs = candidatePairs(state);
  const verdicts = new Map<number, boolean>();
  const sets = new UnionFind(sorted.length);
  let duplicatePairs = 0;
  for (const [key, low, high] of pairs) {
    let same = state.verdicts.get(key);
    if (same === undefined) same = isSameStory(fingerprintOf(low), fingerprintOf(high));
    verdicts.set(key, same);
    if (same) {
      duplicatePairs++;
      sets.union(low.position, high.position);
    }
  }
  state.verdicts = verdicts;
  const cache: GroupCache = { previous: state.groups, next: new Map() };
  const result = mergeGroups(articles, order, sets.groups(), cache);
  state.groups = cache.next;
  return {
    ...result,
    stats: { articles: articles.length, candidatePairs: pairs.length, duplicatePairs },
  };
}

/** Removes the entries of `removed` from each table and merges in those of `added`. */
function patchTables(state: MemoState, removed: Slot[], added: Slot[]): void {
  for (let table = 0; table < TABLES; table++) {
    const out = entries(removed, table);
    const into = entries(added, table);
    if (out.length === 0 && into.length === 0) continue;
    state.tables[table] = patch(state.tables[table] as Float64Array, out, into);
  }
}

/** The sorted table entries (key × SPAN + slot id) of `slots` in `table`. */
function entries(slots: Slot[], table: number): Float64Array {
  let count = 0;
  for (const slot of slots) if (inTable(slot.index, table)) count++;
  const values = new Float64Array(count);
  let i = 0;
  for (const slot of slots) {
    if (inTable(slot.index, table)) values[i++] = (slot.index.keys[table] as number) * SPAN + slot.id;
  }
  return values.sort();
}

/** `sorted` without `out` (all present) and with `into` (all absent), still sorted. */
function patch(sorted: Float64Array, out: Float64Array, into: Float64Array): Float64Array {
  const result = new Float64Array(sorted.length - out.length + into.length);
  let o = 0;
  let r = 0;
  let a = 0;
  for (let i = 0; i < sorted.length; i++) {
    const value = sorted[i] as number;
    if (r < out.length && out[r] === value) {
      r++;
      continue;
    }
    while (a < into.length && (into[a] as number) < value) result[o++] = into[a++] as number;
    result[o++] = value;
  }
  while (a < into.length) result[o++] = into[a++] as number;
  return result;
}

/**
 * Every pair of slots sharing a bucket in any table, once each, as [key, lower id, higher id]:
 * the same pairs `candidatePairs` in index.ts finds, by slot instead of position.
 */
function candidatePairs(state: MemoState): [number, Slot, Slot][] {
  const seen = new Set<number>();
  const pairs: [number, Slot, Slot][] = [];
  const add = (a: number, b: number) => {
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    if (low === high) return;
    const key = low * SPAN + high;
    if (seen.has(key)) return;
    seen.add(key);
    pairs.push([key, state.byId.get(low) as Slot, state.byId.get(high) as Slot]);
  };
  for (const table of state.tables) {
    let start = 0;
    for (let i = 1; i <= table.length; i++) {
      if (i < table.length && bucketOf(table[i] as number) === bucketOf(table[start] as number)) continue;
      if (i - start > 1) addBucket(state, table, start, i, add);
      start = i;
    }
  }
  return pairs;
}

function bucketOf(entry: number): number {
  return Math.floor(entry / SPAN);
}

function idAt(table: Float64Array, i: number): number {
  return (table[i] as number) % SPAN;
}

function addBucket(
  state: MemoState,
  table: Float64Array,
  start: number,
  end: number,
  add: (a: number, b: number) => void,
): void {
  if (end - start > MAX_BUCKET_PAIRS) {
    // A star from the first member in source order, as pairsSharingKey does by position.
    let centre = idAt(table, start);
    let centrePosition = (state.byId.get(centre) as Slot).position;
    for (let i = start + 1; i < end; i++) {
      const position = (state.byId.get(idAt(table, i)) as Slot).position;
      if (position < centrePosition) {
        centre = idAt(table, i);
        centrePosition = position;
      }
    }
    for (let i = start; i < end; i++) add(centre, idAt(table, i));
    return;
  }
  for (let i = start; i < end; i++) {
    for (let j = i + 1; j < end; j++) add(idAt(table, i), idAt(table, j));
  }
}

/** Sizes of what the memo holds, for tests and measurements. */
export function memoSizes(memo: DedupeMemo): {
  slots: number;
  tableEntries: number;
  verdicts: number;
  groups: number;
} {
  const state = states.get(memo);
  if (!state) throw new TypeError('not a DedupeMemo');
  return {
    slots: state.slots.size,
    tableEntries: state.tables.reduce((sum, table) => sum + table.length, 0),
    verdicts: state.verdicts.size,
    groups: state.groups.size,
  };
}
