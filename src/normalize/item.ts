import { NO_TEXT, type StoryText, withTextOf } from '../ingest/index.ts';
import type { Article, Item, RelatedLink, Topic } from '../types.ts';
import { summarizeReading, summaryNeedsBody } from './summary.ts';

/** An Item's fields but the text, which comes from its article, and the summary, worked out. */
export type ItemFields = Omit<Item, 'summary' | 'body' | 'analysis'>;

/**
 * The Item for `fields`, with its article's text (in memory or paged, as the article's is) and a
 * summary worked out from its highlights or lead paragraph each time it is read. Kept, the
 * summaries were ~47 MiB of a 100k-story build's peak (most are cut with "…", which makes
 * V8 store the whole string at two bytes a character); worked out, they cost ~3 µs a read
 * (the body, paged or not, is read only for a story without highlights).
 * The summary is an enumerable field in its usual place, so JSON, spreads and render keys see
 * an Item exactly as before.
 */
export function makeItem(fields: ItemFields, article: StoryText): Item {
  const item: Record<string, unknown> = {};
  for (const key of ITEM_KEYS) {
    if (key === 'summary') Object.defineProperty(item, key, SUMMARY);
    else if (key === 'body' || key === 'analysis') item[key] = NO_TEXT;
    else item[key] = fields[key];
  }
  // Only a story with pictures or sound has the key: every other item keeps its shape and JSON.
  if (fields.media) item.media = fields.media;
  return withTextOf(item as unknown as Item, article);
}

/** What an Item is made of besides its article: its identity and what normalizing worked out. */
export interface ItemParts {
  identity: { id: string; slug: string; contentHash: string };
  /** The item's page. */
  url: string;
  canonicalUrl: string | null;
  published: string;
  updated: string;
  related: RelatedLink[];
  topics: Topic[];
}

/** The one place an article becomes an Item: the cold path and the warm (memo) path both call it. */
export function itemOf(article: Article, parts: ItemParts): Item {
  return makeItem(
    {
      id: parts.identity.id,
      slug: parts.identity.slug,
      url: parts.url,
      canonicalUrl: parts.canonicalUrl,
      title: article.title,
      authors: article.authors,
      published: parts.published,
      updated: parts.updated,
      highlights: article.highlights,
      format: article.format,
      related: parts.related,
      topics: parts.topics,
      sources: article.sources,
      mergedFrom: article.mergedFrom,
      contentHash: parts.identity.contentHash,
      media: article.media?.resolved,
    },
    article,
  );
}

/**
 * An Item's keys in the order they are added: JSON (render keys, recorded editions) sees them
 * in this order, and items built in one order share a hidden class.
 */
const ITEM_KEYS = [
  'id',
  'slug',
  'url',
  'canonicalUrl',
  'title',
  'authors',
  'published',
  'updated',
  'summary',
  'highlights',
  'body',
  'analysis',
  'format',
  'related',
  'topics',
  'sources',
  'mergedFrom',
  'contentHash',
] as const satisfies readonly (keyof Item)[];

/**
 * Summaries made from a lead paragraph, by item: those read the body (from the parse cache when
 * it is paged, ~30 µs), and about one story in ten has no highlights. An item never changes.
 */
const fromBody = new WeakMap<Item, string>();

/** One getter for every item: items of one shape share a hidden class. */
const SUMMARY: PropertyDescriptor = {
  get(this: Item) {
    if (!summaryNeedsBody(this.highlights)) return summarizeReading(this.highlights, () => [], this.format);
    let summary = fromBody.get(this);
    if (summary === undefined) {
      summary = summarizeReading([], () => this.body, this.format);
      fromBody.set(this, summary);
    }
    return summary;
  },
  enumerable: true,
  configurable: true,
};
