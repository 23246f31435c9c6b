import { type Extension, Feed } from 'feed';
import { feedContentHtml } from './content.ts';
import { escapeHtml } from './html.ts';
import { ITUNES_NS, itunesXml, MEDIA_RSS_NS, mediaRssXml } from './media.ts';
import {
  type FeedSpec,
  feedUpdated,
  feedUrl,
  historyXml,
  type SiteInfo,
  siteUrl,
  stylesheetHref,
} from './model.ts';
import { cdataSafeHtml, escapeXmlText, XmlSlots } from './xml.ts';

/**
 * RSS 2.0 through `feed`, shaped for the W3C validator's RSS Profile rules: RFC 822 dates
 * (feed writes toUTCString), an atom:link rel="self" equal to the feed's URL, a guid that is
 * our stable tag URI (isPermaLink="false"), authors as dc:creator (RSS <author> must be an
 * e-mail address, and the two must not both appear), titles as text with hexadecimal
 * references (see XmlSlots.rssText).
 */
export function renderRss(spec: FeedSpec, site: SiteInfo): string {
  const slots = new XmlSlots();
  const feed = new Feed({
    id: feedUrl(site, spec, 'rss'),
    title: slots.rssText(spec.title),
    description: slots.rssText(spec.description),
    link: siteUrl(site, spec.dir),
    language: site.language,
    updated: feedUpdated(site, spec.items),
    generator: 'Broadsheet',
    copyright: site.copyright ? slots.text(site.copyright) : undefined,
    feedLinks: { rss: feedUrl(site, spec, 'rss') },
    hub: site.hub,
    stylesheet: stylesheetHref(site),
  });
  for (const item of spec.items) {
    const extensions: Extension[] = [];
    // One dc:creator with the byline as written ("A and B"): readers show the first only.
    if (item.authors.length > 0) {
      extensions.push({
        name: 'dc:creator',
        objects: { _text: slots.text(joinAuthors(item.authors, site.language)) },
      });
    }
    if (item.topics.length > 0) {
      extensions.push({
        name: 'category',
        objects: item.topics.map((t) => ({ _text: slots.text(t.name) })) as unknown as Record<
          string,
          unknown
        >,
      });
    }
    const media = item.media;
    if (media?.image)
      extensions.push({ name: 'media:content', objects: { _text: slots.element(mediaRssXml(media.image)) } });
    const podcast = media?.enclosure ? itunesXml(media.enclosure.podcast) : '';
    if (podcast) extensions.push({ name: 'itunes:duration', objects: { _text: slots.element(podcast) } });
    feed.addItem({
      title: slots.rssText(item.title),
      id: item.id,
      link: item.url,
      date: new Date(item.updated),
      published: new Date(item.published),
      description: cdataSafeHtml(escapeHtml(item.summary)),
      content: spec.content === 'full' ? feedContentHtml(item, site.language) : undefined,
      // The one <enclosure> an RSS item may have is the sound or film; the picture is Media RSS.
      enclosure: media?.enclosure
        ? { url: media.enclosure.url, type: media.enclosure.type, length: media.enclosure.length }
        : undefined,
      extensions,
    });
  }
  return `${withHistory(withMediaNamespaces(withDublinCore(slots.fill(feed.rss2()))), spec)}\n`;
}

/** RFC 5005 links in RSS are atom:link elements (feed declares xmlns:atom for the self link). */
function withHistory(xml: string, spec: FeedSpec): string {
  const links = historyXml(spec, 'atom:', escapeXmlText);
  if (!links) return xml;
  if (!xml.includes('xmlns:atom=')) throw new Error('internal: RSS from feed without xmlns:atom');
  return xml.replace('<channel>', `<channel>\n        ${links}`);
}

/** Media RSS and the podcast (itunes) namespace, declared only by a feed that uses them. */
function withMediaNamespaces(xml: string): string {
  let declared = xml;
  if (xml.includes('<media:') && !xml.includes('xmlns:media='))
    declared = declared.replace('<rss ', `<rss xmlns:media="${MEDIA_RSS_NS}" `);
  if (xml.includes('<itunes:') && !xml.includes('xmlns:itunes='))
    declared = declared.replace('<rss ', `<rss xmlns:itunes="${ITUNES_NS}" `);
  return declared;
}

const DC_NAMESPACE = 'http://purl.org/dc/elements/1.1/';

/**
 * `feed` declares xmlns:dc only beside content:encoded, but dc:creator is there whenever a story
 * has a byline: a summary-only feed (author feeds) would otherwise use an unbound prefix, which
 * strict XML parsers (feedparser, expat) refuse outright.
 */
function withDublinCore(xml: string): string {
  if (!xml.includes('<dc:') || xml.includes('xmlns:dc=')) return xml;
  return xml.replace('<rss ', `<rss xmlns:dc="${DC_NAMESPACE}" `);
}

/**
 * A byline as the site's language writes a list ("A, B, and C"; "A, B et C"): the same words on
 * pages, in feeds and in the newsletter.
 */
export function joinAuthors(authors: string[], language: string): string {
  return listFormat(language).format(authors.filter(Boolean));
}

/** A formatter costs far more to build than to use, and every story of a build asks for one. */
const listFormats = new Map<string, Intl.ListFormat>();

function listFormat(language: string): Intl.ListFormat {
  let format = listFormats.get(language);
  if (format === undefined) {
    format = new Intl.ListFormat(language, { type: 'conjunction', style: 'long' });
    listFormats.set(language, format);
  }
  return format;
}
