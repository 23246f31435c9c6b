import type { Article } from '../types.ts';
import { sourceKeyCompare } from './canonical.ts';
import { type Fingerprint, fingerprint } from './fingerprint.ts';
import { compareSources, type GroupCache, type MergedGroup, mergeGroups } from './groups.ts';
import { MAX_ARTICLES, MAX_BUCKET_PAIRS } from './lsh.ts';
import type { DedupeResult, DedupeStats } from './result.ts';
import { inTable, type KnownKeys, type StoryKeys, storyKeys, TABLES } from './story-keys.ts';
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
 *   is passed in; the bucket tables, for each index key (32 bands, lead, title) the sorted
 *   (key, slot) entries, patched for the articles that came and went; and how many buckets
 *   hold each candidate pair, updated for the buckets those articles were or are in.
 * - The verdict of each candidate pair of the last call, by slot numbers.
 * - Each merged story of the last call, by its copies: the same copies in the same order give
 *   the same output object.
 *
 * The candidate pairs are the same as without a memo (all pairs in a bucket, a star from the
 * first copy in source order in an oversized one; the stars are drawn afresh on every call,
 * as source order may change), so is the result. What is saved is the hashing, the sorting of
 * the tables and the verification. Nothing of an article no longer passed outlives the next
 * call, except its WeakMap entry, which goes with the article.
 */
export class DedupeMemo {
  constructor() {
    states.set(this, new MemoState());
  }
}

const states = new WeakMap<DedupeMemo, MemoState>();

/** Slot numbers are packed below a 32-bit key in one double, as in lsh.ts. */
const SPAN = MAX_ARTICLES;

interface ArticleKeys {
  /** The key per table (story-keys.ts); meaningful only for the tables the article is in. */
  keys: StoryKeys;
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
  /** The last call's slots in source order, and which neighbours there have equal sources. */
  sorted: Slot[] = [];
  ties: Uint8Array = new Uint8Array(0);
  /** The last call's slots by input index. */
  byIndex: Slot[] = [];
  tables: Table[] = emptyTables();
  /** How many buckets of at most MAX_BUCKET_PAIRS entries hold each pair of slots. */
  pairRefs = new Map<number, number>();
  /** Per table, the keys of buckets larger than MAX_BUCKET_PAIRS. */
  oversized: Set<number>[] = emptyOversized();
  verdicts = new Map<number, boolean>();
  groups = new Map<Article, MergedGroup>();
  nextId = 0;
  call = 0;

  /**
   * Forgets the last call, but not what depends only on the articles themselves: their keys,
   * and the merged stories, which are looked up by their copies.
   */
  reset(): void {
    this.slots = new Map();
    this.byId = new Map();
    this.sorted = [];
    this.ties = new Uint8Array(0);
    this.byIndex = [];
    this.tables = emptyTables();
    this.pairRefs = new Map();
    this.oversized = emptyOversized();
    this.verdicts = new Map();
    this.nextId = 0;
  }
}

function emptyTables(): Table[] {
  return Array.from({ length: TABLES }, () => new Table());
}

function emptyOversized(): Set<number>[] {
  return Array.from({ length: TABLES }, () => new Set<number>());
}

function keysOf(state: MemoState, article: Article, known: KnownKeys | undefined): ArticleKeys {
  const kept = state.keysOf.get(article);
  if (kept) return kept;
  const result: ArticleKeys = { keys: known?.(article) ?? storyKeys(article), print: null };
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
 * incrementally: the memo forgets the last call and `fromScratch` runs, which reuses only the
 * merged stories.
 */
export function dedupeWithMemo(
  memo: DedupeMemo,
  articles: Article[],
  fromScratch: (articles: Article[], cache: GroupCache) => Result,
  known?: KnownKeys,
): Result {
  const state = states.get(memo);
  if (!state) throw new TypeError('not a DedupeMemo');
  if (state.nextId + articles.length > SPAN) state.reset();
  try {
    return update(state, articles, fromScratch, known);
  } catch (error) {
    // Half-applied changes would make the next call wrong: start that one afresh.
    state.reset();
    throw error;
  }
}

function update(
  state: MemoState,
  articles: Article[],
  fromScratch: (articles: Article[], cache: GroupCache) => Result,
  known: KnownKeys | undefined,
): Result {
  const call = ++state.call;
  const added: Slot[] = [];
  const previousAt = state.byIndex;
  const byIndex: Slot[] = new Array(articles.length);
  for (let at = 0; at < articles.length; at++) {
    const article = articles[at] as Article;
    // Most articles are where they were last time: no hash lookup for those.
    const same = previousAt[at];
    let slot = same?.article === article ? same : state.slots.get(article);
    if (slot?.seen === call) {
      const cache: GroupCache = { previous: state.groups, next: new Map() };
      state.reset();
      const result = fromScratch(articles, cache);
      state.groups = cache.next;
      return result;
    }
    if (!slot) {
      slot = {
        article,
        index: keysOf(state, article, known),
        id: state.nextId++,
        seen: 0,
        at: 0,
        position: 0,
      };
      state.slots.set(article, slot);
      state.byId.set(slot.id, slot);
      added.push(slot);
    }
    slot.seen = call;
    slot.at = at;
    byIndex[at] = slot;
  }
  state.byIndex = byIndex;
  const removed: Slot[] = [];
  const { sorted, ties } = sourceOrder(state, added, removed, call);
  for (const slot of removed) {
    state.slots.delete(slot.article);
    state.byId.delete(slot.id);
  }
  state.sorted = sorted;
  state.ties = ties;
  const order = new Uint32Array(sorted.length);
  for (let position = 0; position < sorted.length; position++) {
    const slot = sorted[position] as Slot;
    slot.position = position;
    order[position] = slot.at;
  }
  patchTables(state, removed, added);

  const pairs = candidatePairs(state);
  const verdicts = new Map<number, boolean>();
  const duplicates: number[] = [];
  for (const [key, low, high] of pairs) {
    let same = state.verdicts.get(key);
    if (same === undefined) same = isSameStory(fingerprintOf(low), fingerprintOf(high));
    verdicts.set(key, same);
    if (same) duplicates.push(low.position, high.position);
  }
  state.verdicts = verdicts;
  const cache: GroupCache = { previous: state.groups, next: new Map() };
  const result = mergeGroups(articles, order, groupsOf(duplicates), cache);
  state.groups = cache.next;
  return {
    ...result,
    stats: { articles: articles.length, candidatePairs: pairs.length, duplicatePairs: duplicates.length / 2 },
  };
}

/**
 * The groups of positions joined by the duplicate pairs (`pairs[2i]`, `pairs[2i + 1]`), as
 * UnionFind.groups gives them over all positions: each ascending, in order of first member.
 * Only positions in a pair are visited.
 */
function groupsOf(pairs: number[]): number[][] {
  const positions = Uint32Array.from(new Set(pairs)).sort();
  const compact = new Map<number, number>();
  for (let i = 0; i < positions.length; i++) compact.set(positions[i] as number, i);
  const sets = new UnionFind(positions.length);
  for (let i = 0; i < pairs.length; i += 2) {
    sets.union(compact.get(pairs[i] as number) as number, compact.get(pairs[i + 1] as number) as number);
  }
  return sets.groups().map((group) => group.map((i) => positions[i] as number));
}

const bySource = (a: Slot, b: Slot) => compareSources(a.article, a.at, b.article, b.at);
const sameSource = (a: Slot, b: Slot) => sourceKeyCompare(a.article.sources[0], b.article.sources[0]) === 0;

/**
 * This call's slots in source order, and which neighbours in it have the same first source
 * (`ties[i]`: `sorted[i]` and `sorted[i + 1]`, ordered by input index). Sources never change
 * for an article, so the last call's order stays sorted except where tied neighbours swapped
 * input places; the few articles added are put in by binary search. Many added, or a tie out
 * of order, and everything is sorted again.
 */
function sourceOrder(
  state: MemoState,
  added: Slot[],
  removed: Slot[],
  call: number,
): { sorted: Slot[]; ties: Uint8Array } {
  const previous = state.sorted;
  const previousTies = state.ties;
  const kept: Slot[] = [];
  const keptTies = new Uint8Array(previous.length);
  // Whether the last kept slot ties with the one at i: equal sources are adjacent, so a tie
  // across removed slots is a tie with each of them.
  let tie = 0;
  let inOrder = true;
  for (let i = 0; i < previous.length; i++) {
    const slot = previous[i] as Slot;
    if (slot.seen !== call) {
      removed.push(slot);
      tie &= previousTies[i] as number;
      continue;
    }
    if (kept.length > 0) {
      keptTies[kept.length - 1] = tie;
      if (tie && (kept[kept.length - 1] as Slot).at > slot.at) inOrder = false;
    }
    kept.push(slot);
    tie = previousTies[i] as number;
  }
  if (!inOrder || added.length > PATCH_LIMIT) return sortAll(kept.concat(added));
  if (added.length === 0) return { sorted: kept, ties: keptTies.slice(0, kept.length) };
  added.sort(bySource);
  const count = kept.length + added.length;
  const sorted: Slot[] = new Array(count);
  const ties = new Uint8Array(count);
  const addedAt: number[] = [];
  let k = 0;
  let o = 0;
  for (const slot of added) {
    let low = k;
    let high = kept.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (bySource(kept[mid] as Slot, slot) < 0) low = mid + 1;
      else high = mid;
    }
    ties.set(keptTies.subarray(k, low), o);
    for (; k < low; k++) sorted[o++] = kept[k] as Slot;
    addedAt.push(o);
    sorted[o++] = slot;
  }
  ties.set(keptTies.subarray(k, kept.length), o);
  for (; k < kept.length; k++) sorted[o++] = kept[k] as Slot;
  // Ties on either side of an added slot are new; between kept neighbours they are known.
  for (const i of addedAt) {
    if (i > 0) ties[i - 1] = sameSource(sorted[i - 1] as Slot, sorted[i] as Slot) ? 1 : 0;
    ties[i] = i + 1 < count && sameSource(sorted[i] as Slot, sorted[i + 1] as Slot) ? 1 : 0;
  }
  return { sorted, ties };
}

function sortAll(slots: Slot[]): { sorted: Slot[]; ties: Uint8Array } {
  slots.sort(bySource);
  const ties = new Uint8Array(slots.length);
  for (let i = 0; i + 1 < slots.length; i++)
    ties[i] = sameSource(slots[i] as Slot, slots[i + 1] as Slot) ? 1 : 0;
  return { sorted: slots, ties };
}

/**
 * One index key's buckets: entries key × SPAN + slot id, sorted, so a bucket is a run. Patched
 * in place for a few changed articles; `data` has room to grow.
 */
class Table {
  data = new Float64Array(0);
  length = 0;

  /** The first index whose entry is not below `value`. */
  lowerBound(value: number): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.data[mid] as number) < value) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  remove(entry: number): void {
    const at = this.lowerBound(entry);
    this.data.copyWithin(at, at + 1, this.length);
    this.length--;
  }

  insert(entry: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(Math.max(16, Math.ceil(this.length * 1.25)));
      grown.set(this.data);
      this.data = grown;
    }
    const at = this.lowerBound(entry);
    this.data.copyWithin(at + 1, at, this.length);
    this.data[at] = entry;
    this.length++;
  }

  /** The entries without `out` (all present) and with `into` (all absent); both sorted. */
  merge(out: Float64Array, into: Float64Array): void {
    const result = new Float64Array(this.length - out.length + into.length);
    let o = 0;
    let r = 0;
    let a = 0;
    for (let i = 0; i < this.length; i++) {
      const value = this.data[i] as number;
      if (r < out.length && out[r] === value) {
        r++;
        continue;
      }
      while (a < into.length && (into[a] as number) < value) result[o++] = into[a++] as number;
      result[o++] = value;
    }
    while (a < into.length) result[o++] = into[a++] as number;
    this.data = result;
    this.length = result.length;
  }
}

/**
 * Above this many articles added plus removed, the tables are merged and the pairs recounted
 * in one pass; below, each changed bucket is patched (a binary search and a shift per entry).
 */
const PATCH_LIMIT = 32;

/**
 * Brings the tables and the pair counts from the last call's articles to this call's. Each
 * bucket of at most MAX_BUCKET_PAIRS entries counts once for each of its pairs (`pairRefs`);
 * larger buckets are listed in `oversized` and linked afresh on every call, because their star
 * centre depends on the source order of the moment.
 */
function patchTables(state: MemoState, removed: Slot[], added: Slot[]): void {
  const incremental = removed.length + added.length <= PATCH_LIMIT;
  for (let t = 0; t < TABLES; t++) {
    const out = entries(removed, t);
    const into = entries(added, t);
    if (out.length === 0 && into.length === 0) continue;
    const table = state.tables[t] as Table;
    if (!incremental) {
      table.merge(out, into);
      continue;
    }
    const keys = new Set<number>();
    for (const entry of out) keys.add(bucketOf(entry));
    for (const entry of into) keys.add(bucketOf(entry));
    for (const key of keys) countBucket(state, t, key, -1);
    for (const entry of out) table.remove(entry);
    for (const entry of into) table.insert(entry);
    for (const key of keys) countBucket(state, t, key, 1);
  }
  if (!incremental) recount(state);
}

/** The sorted table entries (key × SPAN + slot id) of `slots` in `table`. */
function entries(slots: Slot[], table: number): Float64Array {
  let count = 0;
  for (const slot of slots) if (inTable(slot.index.keys, table)) count++;
  const values = new Float64Array(count);
  let i = 0;
  for (const slot of slots) {
    if (inTable(slot.index.keys, table)) values[i++] = (slot.index.keys[table] as number) * SPAN + slot.id;
  }
  return values.sort();
}

function bucketOf(entry: number): number {
  return Math.floor(entry / SPAN);
}

function idAt(table: Table, i: number): number {
  return (table.data[i] as number) % SPAN;
}

function pairKey(a: number, b: number): number {
  return a < b ? a * SPAN + b : b * SPAN + a;
}

/** Adds (`delta` 1) or takes away (-1) what the bucket `key` of table `t` contributes. */
function countBucket(state: MemoState, t: number, key: number, delta: 1 | -1): void {
  const table = state.tables[t] as Table;
  const start = table.lowerBound(key * SPAN);
  const end = table.lowerBound((key + 1) * SPAN);
  countRun(state, t, table, start, end, delta);
}

function countRun(
  state: MemoState,
  t: number,
  table: Table,
  start: number,
  end: number,
  delta: 1 | -1,
): void {
  if (end - start < 2) return;
  if (end - start > MAX_BUCKET_PAIRS) {
    const oversized = state.oversized[t] as Set<number>;
    const key = bucketOf(table.data[start] as number);
    if (delta > 0) oversized.add(key);
    else oversized.delete(key);
    return;
  }
  const refs = state.pairRefs;
  for (let i = start; i < end; i++) {
    for (let j = i + 1; j < end; j++) {
      const pair = pairKey(idAt(table, i), idAt(table, j));
      const count = (refs.get(pair) ?? 0) + delta;
      if (count === 0) refs.delete(pair);
      else refs.set(pair, count);
    }
  }
}

/** Pair counts and oversized buckets from scratch: one pass over every table. */
function recount(state: MemoState): void {
  state.pairRefs = new Map();
  state.oversized = emptyOversized();
  for (let t = 0; t < TABLES; t++) {
    const table = state.tables[t] as Table;
    let start = 0;
    for (let i = 1; i <= table.length; i++) {
      if (i < table.length && bucketOf(table.data[i] as number) === bucketOf(table.data[start] as number)) {
        continue;
      }
      countRun(state, t, table, start, i, 1);
      start = i;
    }
  }
}

/**
 * Every pair of slots sharing a bucket in any table, once each, as [key, lower id, higher id]:
 * the same pairs `candidatePairs` in index.ts finds, by slot instead of position.
 */
function candidatePairs(state: MemoState): [number, Slot, Slot][] {
  const pairs: [number, Slot, Slot][] = [];
  const slot = (id: number) => state.byId.get(id) as Slot;
  for (const key of state.pairRefs.keys()) pairs.push([key, slot(Math.floor(key / SPAN)), slot(key % SPAN)]);
  const stars = new Set<number>();
  for (let t = 0; t < TABLES; t++) {
    const table = state.tables[t] as Table;
    for (const key of state.oversized[t] as Set<number>) {
      // A star from the first member in source order, as pairsSharingKey does by position.
      const start = table.lowerBound(key * SPAN);
      const end = table.lowerBound((key + 1) * SPAN);
      let centre = idAt(table, start);
      for (let i = start + 1; i < end; i++) {
        if (slot(idAt(table, i)).position < slot(centre).position) centre = idAt(table, i);
      }
      for (let i = start; i < end; i++) {
        const id = idAt(table, i);
        const pair = pairKey(centre, id);
        if (id === centre || state.pairRefs.has(pair) || stars.has(pair)) continue;
        stars.add(pair);
        pairs.push([pair, slot(Math.min(centre, id)), slot(Math.max(centre, id))]);
      }
    }
  }
  return pairs;
}

/** Sizes of what the memo holds, for tests and measurements. */
export function memoSizes(memo: DedupeMemo): {
  slots: number;
  tableEntries: number;
  pairCounts: number;
  verdicts: number;
  groups: number;
} {
  const state = states.get(memo);
  if (!state) throw new TypeError('not a DedupeMemo');
  return {
    slots: state.slots.size,
    tableEntries: state.tables.reduce((sum, table) => sum + table.length, 0),
    pairCounts: state.pairRefs.size,
    verdicts: state.verdicts.size,
    groups: state.groups.size,
  };
}
