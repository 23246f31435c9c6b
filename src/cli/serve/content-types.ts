import { extname } from 'node:path';
import { MEDIA_TYPES } from '../../pipeline/media-types.ts';

/**
 * Media types for what a build writes. Feed readers and browsers decide what to do from these:
 * a feed served as text/plain is not offered to a reader, and without text/xsl the browser will
 * not apply the feed's stylesheet.
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.xsl': 'text/xsl; charset=utf-8',
  '.xslt': 'text/xsl; charset=utf-8',
  '.opml': 'text/x-opml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.eml': 'message/rfc822',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/** Feeds are recognised by name: `rss.xml` is RSS wherever it sits (topics/x/rss.xml too). */
const FEED_NAMES: Record<string, string> = {
  'rss.xml': 'application/rss+xml; charset=utf-8',
  'atom.xml': 'application/atom+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
};

export function contentTypeFor(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  // Pictures and sound articles name (out/media/): served as what feeds announce them as.
  return FEED_NAMES[name] ?? TYPES[extname(name)] ?? MEDIA_TYPES[extname(name)] ?? 'application/octet-stream';
}

export function isHtml(contentType: string): boolean {
  return contentType.startsWith('text/html');
}
