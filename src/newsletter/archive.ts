import { Feed } from 'feed';
import { DateTime } from 'luxon';
import type { Config } from '../config/index.ts';
import { escapeHtml } from '../render/html.ts';
import { defaultSiteTheme, fill, messagesFor, renderSitePage, siteInfoFromConfig } from '../render/index.ts';
import type { EditionSummary } from '../types.ts';
import { editionDateLabel } from './dates.ts';
import { countStories } from './model.ts';

export function archiveUrl(config: Config): string {
  return new URL('newsletter/', config.site.baseUrl).href;
}

export function archiveFeedUrl(config: Config): string {
  return new URL('newsletter/feed.xml', config.site.baseUrl).href;
}

/**
 * `newsletter/index.html`: every edition, newest first, linking to its web view, in the site's
 * own layout (templates/site/newsletter-archive.liquid inside layout.liquid). Before the first
 * edition there is no feed to follow (see `archiveFeed`), so the page neither links nor
 * announces one.
 */
export function archivePage(entries: EditionSummary[], config: Config, theme = defaultSiteTheme()): string {
  const site = siteInfoFromConfig(config, '');
  const t = messagesFor(config.site.language);
  const title = fill(t.newsletterTitle, { site: config.site.title });
  const view = {
    title,
    feed_url: entries.length > 0 ? archiveFeedUrl(config) : '',
    editions: entries.map((entry) => ({
      url: entry.url,
      subject: entry.subject,
      date: editionDateLabel(entry, config),
      stories: countStories(entry.storyCount, config.site.language),
    })),
  };
  return renderSitePage(theme, 'newsletter-archive', view, {
    site,
    title,
    root: '../',
    canonical: archiveUrl(config),
    description: fill(t.archiveFeedDescription, { site: config.site.title }),
    feeds: [],
    alternates:
      entries.length > 0 ? [{ type: 'application/atom+xml', title, href: archiveFeedUrl(config) }] : [],
    signup: true,
  });
}

/**
 * `newsletter/feed.xml`: an Atom feed of editions, or null before the first one. An empty feed
 * would have no date of its own to give (readers showed "updated 1970") and feed readers treat
 * a feed without entries as broken, so none is published until there is an edition to announce.
 * `feed` treats Atom titles and summaries as HTML (FACTS.md), so our plain text is escaped
 * before it goes in.
 */
export function archiveFeed(entries: EditionSummary[], config: Config): string | null {
  const latest = entries[0];
  if (!latest) return null;
  const t = messagesFor(config.site.language);
  const title = fill(t.newsletterTitle, { site: config.site.title });
  const feed = new Feed({
    id: archiveUrl(config),
    link: archiveUrl(config),
    title: escapeHtml(title),
    description: escapeHtml(fill(t.archiveFeedDescription, { site: config.site.title })),
    language: config.site.language,
    // Stable across builds: the newest edition's end, not the build time.
    updated: toDate(latest.until),
    feedLinks: { atom: archiveFeedUrl(config) },
    author: {
      name: config.site.author.name,
      ...(config.site.author.email ? { email: config.site.author.email } : {}),
    },
    copyright: config.site.copyright ?? `© ${config.site.author.name}`,
    generator: 'Broadsheet',
  });
  for (const entry of entries) {
    feed.addItem({
      id: entry.url,
      link: entry.url,
      title: escapeHtml(entry.subject),
      description: escapeHtml(entry.preheader),
      date: toDate(entry.until),
    });
  }
  return feed.atom1();
}

function toDate(iso: string): Date {
  return DateTime.fromISO(iso, { setZone: true }).toJSDate();
}
