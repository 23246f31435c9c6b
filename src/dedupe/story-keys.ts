import type { Article } from '../types.ts';
import { indexKeys } from './fingerprint.ts';
import { BANDS, bandKey } from './lsh.ts';
import { SIGNATURE_SLOTS } from './minhash.ts';

/**
 * One story's index keys: what the candidate index needs of it, worked out from its text once.
 * They are a function of the article alone, so they can be kept beside its parse (the parse
 * cache) and handed back on a rebuild: dedupe then finds candidate pairs without loading any
 * unchanged story's text (at 100k stories that text is paged, and each load is a cache read).
 *
 * Layout: the key of each of the `BANDS` LSH bands, the lead key, the title key, then flags
 * (bit 0: has text, so it is in the band tables; bit 1: has a lead key). A key is meaningful
 * only for the tables the story is in (`inTable`).
 */
export type StoryKeys = Uint32Array;

export const LEAD_TABLE = BANDS;
export const TITLE_TABLE = BANDS + 1;
/** Band tables, the lead table, the title table. */
export const TABLES = BANDS + 2;
const FLAGS = TABLES;
const HAS_TEXT = 1;
const HAS_LEAD = 2;
/** Numbers in one story's keys. */
export const STORY_KEY_COUNT = TABLES + 1;

/** Keys already worked out for an article (kept from an earlier build), or undefined. */
export type KnownKeys = (article: Article) => StoryKeys | undefined;

const signature = new Uint32Array(SIGNATURE_SLOTS);

export function storyKeys(article: Article): StoryKeys {
  const keys = new Uint32Array(STORY_KEY_COUNT);
  writeStoryKeys(article, keys, 0);
  return keys;
}

/** Writes `storyKeys(article)` into `out` at `offset` (many stories' keys in one array). */
export function writeStoryKeys(article: Article, out: Uint32Array, offset: number): void {
  const index = indexKeys(article, signature, 0);
  if (index.hasText)
    for (let band = 0; band < BANDS; band++) out[offset + band] = bandKey(signature, 0, band);
  if (index.leadKey !== null) out[offset + LEAD_TABLE] = index.leadKey;
  if (!index.hasText) out[offset + TITLE_TABLE] = index.titleKey;
  out[offset + FLAGS] = (index.hasText ? HAS_TEXT : 0) | (index.leadKey !== null ? HAS_LEAD : 0);
}

export function hasText(keys: StoryKeys): boolean {
  return ((keys[FLAGS] as number) & HAS_TEXT) !== 0;
}

export function hasLead(keys: StoryKeys): boolean {
  return ((keys[FLAGS] as number) & HAS_LEAD) !== 0;
}

/** Whether a story with these keys is in `table` (a band, the lead or the title table). */
export function inTable(keys: StoryKeys, table: number): boolean {
  if (table < BANDS) return hasText(keys);
  return table === LEAD_TABLE ? hasLead(keys) : !hasText(keys);
}

/**
 * Several stories' keys, one after another in `keys` (`STORY_KEY_COUNT` each), as text (base64
 * of little-endian words) to keep beside their parse.
 */
export function encodeStoryKeys(keys: Uint32Array): string {
  const bytes = Buffer.alloc(keys.length * 4);
  for (let i = 0; i < keys.length; i++) bytes.writeUInt32LE(keys[i] as number, i * 4);
  return bytes.toString('base64');
}

/**
 * `count` stories' keys from `encodeStoryKeys`'s text, one after another; undefined when it
 * holds another number of stories (a damaged or foreign value: they are worked out again).
 */
export function decodeStoryKeys(text: string, count: number): Uint32Array | undefined {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== count * STORY_KEY_COUNT * 4) return undefined;
  const keys = new Uint32Array(count * STORY_KEY_COUNT);
  for (let i = 0; i < keys.length; i++) keys[i] = bytes.readUInt32LE(i * 4);
  return keys;
}

/** Story `index`'s keys in an array of many (a view: nothing is copied). */
export function keysAt(keys: Uint32Array, index: number): StoryKeys {
  return keys.subarray(index * STORY_KEY_COUNT, (index + 1) * STORY_KEY_COUNT);
}
