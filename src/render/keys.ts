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
  /** A hash of one item as rendered (every field: text, dates, topics, resolved related links). */
  item(item: Item): string;
  items(items: readonly Item[]): string[];
  feed(feed: FeedSpec): unknown[];
}

export function createRenderKeys(site: SiteInfo, settings: unknown, codeVersion: string): RenderKeys {
  const { now: _now, ...lasting } = site;
  const siteKey = JSON.stringify([codeVersion, lasting, settings]);
  const byItem = new WeakMap<Item, string>();
  const item = (value: Item): string => {
    let key = byItem.get(value);
    if (key === undefined) {
      // The story's text (highlights, body, analysis, format) is already hashed in contentHash
      // (normalize's edit detector): the key hashes that instead of 4 KB of text per story again.
      const { highlights: _h, body: _b, analysis: _a, ...rest } = value;
      key = hash(JSON.stringify(rest));
      byItem.set(value, key);
    }
    return key;
  };
  return {
    of: (...parts) => hash(`${siteKey}\n${JSON.stringify(parts)}`),
    item,
    items: (list) => list.map(item),
    feed: (feed) => [feed.kind, feed.dir, feed.title, feed.name, feed.description, feed.content],
  };
}

function hash(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}
