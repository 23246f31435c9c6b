import type { Item } from '../types.ts';
import { renderItemContentHtml } from './content.ts';
import { escapeHtml } from './html.ts';
import { type JsonFeedAttachment, jsonFeedMedia } from './media.ts';
import { type FeedContent, type FeedSpec, feedUrl, type SiteInfo, siteUrl } from './model.ts';

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1), the fields we publish. */
export interface JsonFeed {
  version: 'https://jsonfeed.org/version/1.1';
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  language: string;
  authors: JsonFeedAuthor[];
  hubs?: { type: string; url: string }[];
  items: JsonFeedItem[];
}

export interface JsonFeedAuthor {
  name: string;
  url?: string;
}

export interface JsonFeedItem {
  id: string;
  url: string;
  external_url?: string;
  title: string;
  /** One of content_html and content_text is required: summary-only feeds give the summary as text. */
  content_html?: string;
  content_text?: string;
  summary: string;
  date_published: string;
  date_modified: string;
  authors?: JsonFeedAuthor[];
  tags?: string[];
  language: string;
  image?: string;
  banner_image?: string;
  attachments?: JsonFeedAttachment[];
}

/**
 * Our own renderer: feed v6's json1() writes version 1 (a single `author`, no `language`).
 * JSON.stringify escapes everything JSON needs; content_html is the same HTML as the XML feeds.
 */
export function renderJsonFeed(spec: FeedSpec, site: SiteInfo): string {
  const document: JsonFeed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: spec.title,
    home_page_url: siteUrl(site, spec.dir),
    feed_url: feedUrl(site, spec, 'json'),
    description: spec.description,
    language: site.language,
    authors: [{ name: site.author.name, ...(site.author.url ? { url: site.author.url } : {}) }],
    ...(site.hub ? { hubs: [{ type: 'WebSub', url: site.hub }] } : {}),
    items: spec.items.map((item) => jsonFeedItem(item, site, spec.content)),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function jsonFeedItem(item: Item, site: SiteInfo, content: FeedContent): JsonFeedItem {
  return {
    id: item.id,
    url: item.url,
    ...(item.canonicalUrl ? { external_url: item.canonicalUrl } : {}),
    title: item.title,
    // JSON Feed requires content; a story with no text at all still has its title.
    ...(content === 'full'
      ? {
          content_html:
            renderItemContentHtml(item, { language: site.language }) || `<p>${escapeHtml(item.title)}</p>`,
        }
      : { content_text: item.summary || item.title }),
    summary: item.summary,
    date_published: rfc3339(item.published),
    date_modified: rfc3339(item.updated),
    ...(item.authors.length > 0 ? { authors: item.authors.map((name) => ({ name })) } : {}),
    ...(item.topics.length > 0 ? { tags: item.topics.map((t) => t.name) } : {}),
    language: site.language,
    ...jsonFeedMedia(item.media),
  };
}

/** RFC 3339 in UTC, the form every JSON Feed reader parses. */
function rfc3339(iso: string): string {
  return new Date(iso).toISOString().replace('.000Z', 'Z');
}
