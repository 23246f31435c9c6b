import type { Config } from '../config/index.ts';
import { ruleTopic } from '../normalize/index.ts';
import type { Item } from '../types.ts';
import type { SignupForm } from './signup-form.ts';

/** Site-wide facts every renderer needs (from config, plus the build's time). */
export interface SiteInfo {
  title: string;
  description: string;
  /** Absolute, ending in "/". */
  baseUrl: string;
  language: string;
  timeZone: string;
  author: { name: string; email?: string; url?: string };
  copyright?: string;
  /** WebSub hub; feeds link to it with rel="hub". */
  hub?: string;
  /** The build's time (ISO 8601): the date of a feed with no items. */
  now: string;
  /** The newsletter signup form on the front page and story pages (`signup.form`); none when absent. */
  signup?: SignupForm | undefined;
}

/** The site as the configuration describes it, at the build's time `now` (ISO 8601 UTC). */
export function siteInfoFromConfig(config: Config, now: string): SiteInfo {
  return {
    title: config.site.title,
    description: config.site.description,
    baseUrl: config.site.baseUrl,
    language: config.site.language,
    timeZone: config.site.timeZone,
    author: config.site.author,
    copyright: config.site.copyright,
    hub: config.site.hub,
    now,
    signup: config.signup.form
      ? { url: config.signup.url ?? null, topics: config.feeds.topics.map(ruleTopic) }
      : undefined,
  };
}

/** One feed, written in three formats into one folder of out/. */
export interface FeedSpec {
  /** Folder under out/: "" for the main feeds, "topics/<slug>/", "authors/<slug>/". */
  dir: string;
  kind: 'main' | 'topic' | 'author';
  /** Shown by readers: "Broadsheet", "Broadsheet: Markets". */
  title: string;
  /** The short name: the site title, a topic name, an author's name. */
  name: string;
  description: string;
  /** Newest first, already cut to the feed limit. */
  items: Item[];
  /**
   * What each entry carries: the whole story, or its summary and a link to our page (author
   * feeds by default: a newsroom has hundreds of bylines, and full text in every one of them
   * repeats each story in another three files).
   */
  content: FeedContent;
  /**
   * RFC 5005 feed history, as absolute URLs: `archive` marks an archive document (fh:archive,
   * rel="current" to the subscription feed); `prev` and `next` link the archives either side.
   */
  history?: { archive?: boolean; prev?: string; next?: string; current?: string };
  /** The folder of the page the feed's alternate link names, when it is not `dir`. */
  home?: string;
}

export const FEED_HISTORY_NS = 'http://purl.org/syndication/history/1.0';

/** The feed-level RFC 5005 elements of a feed, in Atom (prefix "" for an Atom feed, "atom:" in RSS). */
export function historyXml(
  spec: FeedSpec,
  prefix: '' | 'atom:',
  escapeText: (text: string) => string,
): string {
  const history = spec.history;
  if (!history) return '';
  const link = (rel: string, href: string | undefined) =>
    href ? `<${prefix}link rel="${rel}" href="${escapeText(href)}"/>` : '';
  return [
    history.archive ? '<fh:archive/>' : '',
    link('current', history.current),
    link('prev-archive', history.prev),
    link('next-archive', history.next),
  ]
    .filter(Boolean)
    .join('\n    ');
}

export type FeedContent = 'full' | 'summary';

export const FEED_FILES = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' } as const;
export const STYLESHEET_PATH = 'feed.xsl';

export function feedUrl(site: SiteInfo, spec: FeedSpec, format: keyof typeof FEED_FILES): string {
  return new URL(`${spec.dir}${FEED_FILES[format]}`, site.baseUrl).href;
}

export function siteUrl(site: SiteInfo, path = ''): string {
  return new URL(path, site.baseUrl).href;
}

/** The feed's date: its newest change, so an unchanged feed keeps the same bytes. */
export function feedUpdated(site: SiteInfo, items: Item[]): Date {
  // A loop, not Math.max(...times): the OPML date spans every item, past the argument limit.
  let newest = Number.NEGATIVE_INFINITY;
  for (const item of items) newest = Math.max(newest, Date.parse(item.updated));
  return new Date(items.length > 0 ? newest : Date.parse(site.now));
}

/** Root-relative path of the XSLT: browsers only apply a same-origin stylesheet. */
export function stylesheetHref(site: SiteInfo): string {
  return new URL(STYLESHEET_PATH, site.baseUrl).pathname;
}
