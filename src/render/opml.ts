import { fill, messagesFor } from './messages/index.ts';
import { FEED_FILES, type FeedSpec, type SiteInfo, siteUrl } from './model.ts';
import { escapeXmlText } from './xml.ts';

/**
 * OPML 2.0 list of every feed (RSS URLs, the format every reader imports), so a subscriber
 * can take all topics at once. Written by hand: it is a flat list of one element type.
 */
export function renderOpml(feeds: FeedSpec[], site: SiteInfo, dateCreated: Date): string {
  const outline = (feed: FeedSpec) =>
    `    <outline type="rss" text="${escapeXmlText(feed.title)}" title="${escapeXmlText(feed.title)}" xmlUrl="${escapeXmlText(siteUrl(site, feed.dir + FEED_FILES.rss))}" htmlUrl="${escapeXmlText(siteUrl(site, feed.dir))}"/>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head>
    <title>${escapeXmlText(fill(messagesFor(site.language).opmlTitle, { site: site.title }))}</title>
    <dateCreated>${dateCreated.toUTCString()}</dateCreated>
    <ownerName>${escapeXmlText(site.author.name)}</ownerName>
  </head>
  <body>
${feeds.map(outline).join('\n')}
  </body>
</opml>
`;
}
