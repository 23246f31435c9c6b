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
  const index = indexKeys(article, signature, 0);
  const keys = new Uint32Array(STORY_KEY_COUNT);
  if (index.hasText) for (let band = 0; band < BANDS; band++) keys[band] = bandKey(signature, 0, band);
  if (index.leadKey !== null) keys[LEAD_TABLE] = index.leadKey;
  if (!index.hasText) keys[TITLE_TABLE] = index.titleKey;
  keys[FLAGS] = (index.hasText ? HAS_TEXT : 0) | (index.leadKey !== null ? HAS_LEAD : 0);
  return keys;
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

/** Several stories' keys as text (base64 of little-endian words), to keep beside their parse. */
export function encodeStoryKeys(list: readonly StoryKeys[]): string {
  const bytes = Buffer.alloc(list.length * STORY_KEY_COUNT * 4);
  let at = 0;
  for (const keys of list) {
    for (let i = 0; i < STORY_KEY_COUNT; i++, at += 4) bytes.writeUInt32LE(keys[i] ?? 0, at);
  }
  return bytes.toString('base64');
}

/**
 * `count` stories' keys from `encodeStoryKeys`'s text; undefined when it holds another number
 * of stories (a damaged or foreign value: the keys are then worked out again).
 */
export function decodeStoryKeys(text: string, count: number): StoryKeys[] | undefined {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== count * STORY_KEY_COUNT * 4) return undefined;
  const list: StoryKeys[] = [];
  for (let story = 0, at = 0; story < count; story++) {
    const keys = new Uint32Array(STORY_KEY_COUNT);
    for (let i = 0; i < STORY_KEY_COUNT; i++, at += 4) keys[i] = bytes.readUInt32LE(at);
    list.push(keys);
  }
  return list;
}
