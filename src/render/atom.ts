import { createHash } from 'node:crypto';
import { Feed } from 'feed';
import type { Item } from '../types.ts';
import { feedContentHtml } from './content.ts';
import { FreeTimes } from './free-times.ts';
import { escapeHtml } from './html.ts';
import { atomEnclosureLinks } from './media.ts';
import {
  FEED_HISTORY_NS,
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
 * Atom 1.0 (RFC 4287) through `feed`: the stable tag URI as id, RFC 3339 published/updated,
 * authors per entry (the feed-level author covers entries without a byline, as 4.1.1
 * requires), summary and content as escaped HTML, rel="alternate" to our page,
 * rel="related" to each related story we have, rel="via" to the publisher's canonical URL.
 */
export function renderAtom(spec: FeedSpec, site: SiteInfo, path?: string): string {
  const slots = new XmlSlots();
  // `path`: a file not named by the feed's folder (a monthly archive, history.ts).
  const self = path === undefined ? feedUrl(site, spec, 'atom') : siteUrl(site, path);
  const updated = distinctUpdated(spec.items);
  const newest = Math.max(...updated.values());
  const feed = new Feed({
    id: self,
    title: slots.text(spec.title),
    description: slots.text(spec.description),
    link: siteUrl(site, spec.home ?? spec.dir),
    language: site.language,
    updated: spec.items.length > 0 ? new Date(newest) : feedUpdated(site, spec.items),
    generator: 'Broadsheet',
    copyright: site.copyright ? slots.text(site.copyright) : undefined,
    author: { name: slots.text(site.author.name), email: site.author.email, link: site.author.url },
    feedLinks: { atom: self },
    hub: site.hub,
    stylesheet: stylesheetHref(site),
  });
  for (const item of spec.items) {
    const extraLinks = extraLinksXml(item);
    feed.addItem({
      // feed writes type="html" titles and summaries: escaped HTML is exactly our text, and
      // unlike type="text" it does not make the validator warn about text that looks like markup.
      title: cdataSafeHtml(escapeHtml(item.title)),
      id: item.id,
      link: item.url,
      date: new Date(updated.get(item) ?? item.updated),
      published: new Date(item.published),
      // A summary-only entry links to our page (rel="alternate"), as RFC 4287 asks of an entry
      // without content; its summary falls back to the title so a reader still shows text.
      description:
        item.summary || spec.content === 'summary'
          ? cdataSafeHtml(escapeHtml(item.summary || item.title))
          : undefined,
      content: spec.content === 'full' ? feedContentHtml(item, site.language) : undefined,
      author: item.authors.map((name) => ({ name: slots.text(name) })),
      category: item.topics.map((t) => ({
        term: t.slug,
        name: slots.text(t.name),
        scheme: new URL('topics/', site.baseUrl).href,
      })),
      // feed has no way to add links to an entry: this element placeholder becomes them.
      copyright: extraLinks ? slots.element(extraLinks) : undefined,
    });
  }
  return `${withHistory(withLanguage(slots.fill(feed.atom1()), site.language), spec)}\n`;
}

/**
 * atom:updated per entry, distinct within the feed: the W3C validator warns about "two entries
 * with the same value for atom:updated", and stories dated only by day, or first seen by the
 * same build, share one. Each entry keeps its second and gets a millisecond offset from a hash
 * of its id, so the value is the same in every feed and every build; the rare clash is bumped
 * by a millisecond in id order (past the second when more than 1,000 stories share it: an
 * archive of undated stories first seen by one build).
 */
export function distinctUpdated(items: Item[]): Map<Item, number> {
  const result = new Map<Item, number>();
  const taken = new FreeTimes();
  const byId = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const item of byId) {
    const time = Date.parse(item.updated);
    const offset = millisecondOffset(item);
    result.set(item, taken.take(Math.max(time - (time % 1000) + offset, Date.parse(item.published))));
  }
  return result;
}

/** An item is in several feeds: its offset is hashed once. */
const offsets = new WeakMap<Item, number>();

function millisecondOffset(item: Item): number {
  let offset = offsets.get(item);
  if (offset === undefined) {
    offset = Number.parseInt(createHash('sha256').update(item.id).digest('hex').slice(0, 8), 16) % 1000;
    offsets.set(item, offset);
  }
  return offset;
}

function extraLinksXml(item: Item): string {
  const links: string[] = [];
  const seen = new Set<string>();
  for (const related of item.related) {
    if (!related.url || seen.has(related.url)) continue;
    seen.add(related.url);
    // The validator reads a link title as text that must not look like HTML; such a title is
    // left out (the link still says which story it is).
    const title = looksLikeMarkup(related.title) ? '' : ` title="${escapeXmlText(related.title)}"`;
    links.push(`<link rel="related" type="text/html" href="${escapeXmlText(related.url)}"${title}/>`);
  }
  if (item.canonicalUrl)
    links.push(`<link rel="via" type="text/html" href="${escapeXmlText(item.canonicalUrl)}"/>`);
  // Not feed's item.image/audio: it guesses the type from the file extension ("image/jpg").
  for (const link of atomEnclosureLinks(item.media)) links.push(link);
  return links.join('\n        ');
}

function looksLikeMarkup(text: string): boolean {
  return /[<>]|&#?\w+;/.test(text);
}

/** RFC 5005 links (and fh:archive) as the feed's first children: feed has no way to add them. */
function withHistory(xml: string, spec: FeedSpec): string {
  const links = historyXml(spec, '', escapeXmlText);
  if (!links) return xml;
  return xml.replace(/<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"([^>]*)>/, (_root, rest: string) => {
    const ns = spec.history?.archive ? ` xmlns:fh="${FEED_HISTORY_NS}"` : '';
    return `<feed xmlns="http://www.w3.org/2005/Atom"${ns}${rest}>\n    ${links}`;
  });
}

/** feed cannot set xml:lang; Atom text constructs inherit their language from it. */
function withLanguage(xml: string, language: string): string {
  const root = '<feed xmlns="http://www.w3.org/2005/Atom">';
  if (!xml.includes(root)) throw new Error('internal: unexpected Atom root element from feed');
  return xml.replace(
    root,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXmlText(language)}">`,
  );
}
