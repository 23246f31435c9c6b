import { createHash } from 'node:crypto';
import type { Item } from '../types.ts';
import type { FeedSpec, SiteInfo } from './model.ts';

/**
 * Render keys: a hash of everything an output's bytes depend on. Equal keys promise equal bytes,
 * so a rebuild renders only outputs whose key changed (one edited story: its page and the feeds
 * and lists that show it). Keys are built from values, never from the clock: `site.now` enters
 * only the keys of outputs that print it (an empty feed's date, the OPML date).
 */
export interface RenderKeys {
  /** The key of one output, from parts that name what it shows. */
  of(...parts: unknown[]): string;
  /** A hash of one item as rendered: its content hash and every field it does not cover (ids, dates, topics, resolved related links). */
  item(item: Item): string;
  items(items: readonly Item[]): string[];
  feed(feed: FeedSpec): unknown[];
  /** `Date.parse(item.updated)` (kept per item by a memo). */
  updatedTime(item: Item): number;
}

/**
 * What `planSite` keeps between calls for a warm rebuild. Opaque: hold one per build loop and
 * pass it every time. It keeps each Item object's key (a WeakMap: items no longer passed are
 * collected) and the output keys of the last two calls by what they were made from, so an
 * unchanged item's page key is looked up instead of hashed. Keys are the same with or without it.
 */
export class RenderMemo {}

interface MemoState {
  items: WeakMap<Item, string>;
  updated: WeakMap<Item, number>;
  /** The site, settings and code the output keys below were made for. */
  siteKey?: string;
  /** Output keys by a signature of their parts: this call's, and the last call's. */
  keys: Map<string, string>;
  lastKeys: Map<string, string>;
  /** One shared (frozen) parts array per distinct feed, so signatures name it by a number. */
  feeds: Map<string, readonly unknown[]>;
  lastFeeds: Map<string, readonly unknown[]>;
  /**
   * Output keys whose second part is a string (an item's key), by that string, with the call
   * that last used each: slots unused for a call are dropped at the start of the next.
   */
  byName: Map<string, { parts: unknown[]; key: string; call: number }>;
  call: number;
}

const states = new WeakMap<RenderMemo, MemoState>();
/** The number a signature names a shared feed-parts array by; never reused. */
const sharedIds = new WeakMap<object, number>();
let nextSharedId = 0;
/** Longer signatures (the archive: every item's key) are hashed each time, not kept. */
const MAX_SIGNATURE = 8192;

export function createRenderKeys(
  site: SiteInfo,
  settings: unknown,
  codeVersion: string,
  memo?: RenderMemo,
): RenderKeys {
  const { now: _now, ...lasting } = site;
  const siteKey = JSON.stringify([codeVersion, lasting, settings]);
  const state = memo ? stateOf(memo, siteKey) : undefined;
  const byItem = state?.items ?? new WeakMap<Item, string>();
  const item = (value: Item): string => {
    let key = byItem.get(value);
    if (key === undefined) {
      key = hash(JSON.stringify(keyedFields(value)));
      byItem.set(value, key);
    }
    return key;
  };
  const compute = (parts: unknown[]): string => hash(`${siteKey}\n${JSON.stringify(parts)}`);
  const feedParts = (feed: FeedSpec): unknown[] => [
    feed.kind,
    feed.dir,
    feed.title,
    feed.name,
    feed.description,
    feed.content,
  ];
  if (!state) {
    return {
      of: (...parts) => compute(parts),
      item,
      items: (list) => list.map(item),
      feed: feedParts,
      updatedTime: (value) => Date.parse(value.updated),
    };
  }
  const byFeed = new Map<FeedSpec, unknown[]>();
  const updated = state.updated;
  return {
    updatedTime: (value) => {
      let time = updated.get(value);
      if (time === undefined) {
        time = Date.parse(value.updated);
        updated.set(value, time);
      }
      return time;
    },
    of: (...parts) => {
      // An item's page: its parts are named by the item's key, and compared part by part.
      if (typeof parts[1] === 'string') {
        const name = parts[1];
        const slot = state.byName.get(name);
        if (slot !== undefined && sameParts(slot.parts, parts)) {
          slot.call = state.call;
          return slot.key;
        }
        if (plainParts(parts)) {
          const key = compute(parts);
          state.byName.set(name, { parts, key, call: state.call });
          return key;
        }
      }
      const signature = signatureOf(parts);
      if (signature === undefined) return compute(parts);
      let key = state.keys.get(signature);
      if (key === undefined) {
        key = state.lastKeys.get(signature) ?? compute(parts);
        state.keys.set(signature, key);
      }
      return key;
    },
    item,
    items: (list) => list.map(item),
    feed: (feed) => {
      let parts = byFeed.get(feed);
      if (parts === undefined) {
        const fresh = feedParts(feed);
        const text = JSON.stringify(fresh);
        let shared = state.feeds.get(text) ?? state.lastFeeds.get(text);
        if (shared === undefined) {
          shared = Object.freeze(fresh);
          sharedIds.set(shared, nextSharedId++);
        }
        state.feeds.set(text, shared);
        parts = shared as unknown[];
        byFeed.set(feed, parts);
      }
      return parts;
    },
  };
}

/** The memo's state for this call: what the last call made is kept one more call, then dropped. */
function stateOf(memo: RenderMemo, siteKey: string): MemoState {
  let state = states.get(memo);
  if (!state) {
    state = {
      items: new WeakMap(),
      updated: new WeakMap(),
      keys: new Map(),
      lastKeys: new Map(),
      feeds: new Map(),
      lastFeeds: new Map(),
      byName: new Map(),
      call: 0,
    };
    states.set(memo, state);
  }
  if (state.siteKey !== siteKey) {
    state.siteKey = siteKey;
    state.keys = new Map();
    state.feeds = new Map();
    state.byName = new Map();
  }
  state.lastKeys = state.keys;
  state.keys = new Map();
  state.lastFeeds = state.feeds;
  state.feeds = new Map();
  const previous = state.call;
  state.call++;
  const byName = state.byName;
  byName.forEach((slot, name) => {
    if (slot.call !== previous) byName.delete(name);
  });
  return state;
}

/**
 * Parts a slot can keep and compare: strings, numbers, shared feed arrays, and arrays of those
 * (an item page's feeds). Kept parts are never changed: every array in them is frozen or fresh.
 */
function plainParts(parts: unknown[]): boolean {
  for (const part of parts) {
    if (typeof part === 'string' || (typeof part === 'number' && !Number.isNaN(part))) continue;
    if (!Array.isArray(part)) return false;
    if (sharedIds.has(part)) continue;
    for (const element of part) if (!sharedIds.has(element as object)) return false;
  }
  return true;
}

/** Equal plain parts (`plainParts`): strings and numbers by value, shared arrays by identity. */
function sameParts(kept: unknown[], parts: unknown[]): boolean {
  if (kept.length !== parts.length) return false;
  for (let i = 0; i < kept.length; i++) {
    const a = kept[i];
    const b = parts[i];
    if (a === b) continue;
    if (!Array.isArray(a) || !Array.isArray(b) || sharedIds.has(a) || a.length !== b.length) return false;
    for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  }
  return true;
}

/**
 * A string naming the parts exactly (equal signatures, equal JSON): strings length-prefixed,
 * shared feed arrays by number. Undefined for anything else, or when it grows too long.
 */
function signatureOf(parts: unknown[]): string | undefined {
  const out = { signature: '' };
  return appendSignature(out, parts) ? out.signature : undefined;
}

// A function of its own, not a closure per call: under tsx (keepNames) every closure
// created costs a defineProperty, and `of` runs once per output.
function appendSignature(out: { signature: string }, value: unknown): boolean {
  if (typeof value === 'string') {
    out.signature += `${value.length}:${value}`;
  } else if (typeof value === 'number') {
    out.signature += `n${value};`;
  } else if (Array.isArray(value)) {
    const id = sharedIds.get(value);
    if (id !== undefined) {
      out.signature += `#${id};`;
    } else {
      out.signature += '[';
      for (const part of value) if (!appendSignature(out, part)) return false;
      out.signature += ']';
    }
  } else if (value === null) {
    out.signature += 'z';
  } else if (typeof value === 'boolean') {
    out.signature += value ? 'T' : 'F';
  } else {
    return false;
  }
  return out.signature.length <= MAX_SIGNATURE;
}

/**
 * Fields an Item's content hash (normalize's edit detector, `hashArticleContent`) already covers:
 * the cleaned, titled article's title, authors, highlights, body, analysis and format, and so the
 * summary worked out of them. The key hashes `contentHash` in their place: not 4 KB of text per
 * story again, and a summary made from a lead paragraph is not worked out (nor a paged body
 * loaded for it: ~1 s of a one-edit 100k build) only to be hashed.
 */
const COVERED_BY_CONTENT_HASH = new Set([
  'title',
  'authors',
  'summary',
  'highlights',
  'body',
  'analysis',
  'format',
]);

/**
 * The item's other fields, names and values in their order. Every field not listed above is
 * keyed, so a field added to Item later changes the key without anyone remembering to add it.
 * `Object.keys` names getter fields without calling them.
 */
function keyedFields(item: Item): unknown[] {
  const fields: unknown[] = [];
  const record = item as unknown as Record<string, unknown>;
  for (const name of Object.keys(item)) {
    if (!COVERED_BY_CONTENT_HASH.has(name)) fields.push(name, record[name]);
  }
  return fields;
}

function hash(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}
