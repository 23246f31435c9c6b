import { createHash } from 'node:crypto';
import { slugify } from '../normalize/index.ts';
import type { Item, OutputFile, PlannedOutput } from '../types.ts';
import { renderAtom } from './atom.ts';
import { planFeedArchives } from './history.ts';
import { renderJsonFeed } from './jsonfeed.ts';
import { createRenderKeys, RenderMemo } from './keys.ts';
import { fill, messagesFor } from './messages/index.ts';
import { FEED_FILES, type FeedContent, type FeedSpec, type SiteInfo, STYLESHEET_PATH } from './model.ts';
import { renderOpml } from './opml.ts';
import { ARCHIVE_PAGE_SIZE, planPages } from './pages.ts';
import { joinAuthors, renderRss } from './rss.ts';
import { planSitemaps } from './sitemap.ts';
import { defaultSiteTheme, type SiteTheme } from './theme.ts';
import { renderFeedStylesheet } from './xslt.ts';

export {
  ANALYSIS_HEADING,
  type ContentOptions,
  RELATED_HEADING,
  renderHighlightsHtml,
  renderItemContentHtml,
  renderRelatedHtml,
} from './content.ts';
export { escapeHtml, renderBlocksHtml } from './html.ts';
export {
  CATALOGUES,
  fill,
  fillHtml,
  formatNumber,
  type Messages,
  messagesFor,
  type Plural,
  plural,
  textDirection,
} from './messages/index.ts';
export { type FeedContent, type FeedSpec, type SiteInfo, siteInfoFromConfig } from './model.ts';
export { type PageOptions, renderSitePage } from './pages.ts';
export { formActionSources, SIGNUP_STYLE, type SignupForm, signupFormHtml } from './signup-form.ts';
export {
  BUNDLED_SITE_TEMPLATES,
  compileSiteTheme,
  defaultSiteTheme,
  readSiteTemplates,
  SiteTemplateError,
  type SiteTemplates,
  type SiteTheme,
} from './theme.ts';
export { ARCHIVE_PAGE_SIZE, joinAuthors, RenderMemo, renderAtom, renderJsonFeed, renderRss };

export interface SiteOptions {
  site: SiteInfo;
  /** Latest N items per feed (and on the front page). */
  feedLimit: number;
  authorFeeds: boolean;
  /** Full stories or summaries in author feeds (main and topic feeds always carry full stories). */
  authorContent?: FeedContent;
  /**
   * Stories per archive page: a month with more continues on numbered pages. ARCHIVE_PAGE_SIZE
   * (1,000) when not given; tests set a small one to page a small site.
   */
  archivePageSize?: number;
  /**
   * Names the code and dependencies that render (the CLI hashes the sources and the lockfile):
   * a changed renderer changes every render key, so no file keeps bytes the old code made.
   */
  codeVersion?: string;
  /** The site's templates, compiled (compileSiteTheme); the bundled default theme when not given. */
  theme?: SiteTheme;
}

/** The main feed, one feed per topic and (when enabled) one per author; every feed newest first. */
export function planFeeds(items: Item[], options: SiteOptions): FeedSpec[] {
  const { site, feedLimit } = options;
  const main: FeedSpec = {
    dir: '',
    kind: 'main',
    title: site.title,
    name: site.title,
    description: site.description,
    items: items.slice(0, feedLimit),
    content: 'full',
  };
  const topics = new Map<string, { name: string; items: Item[] }>();
  // A feed shows its first feedLimit items: the rest need not be listed (slice's own rules
  // for a negative limit keep every item listed then).
  const listed = feedLimit >= 0 ? feedLimit : Number.POSITIVE_INFINITY;
  for (const item of items) {
    for (const topic of item.topics) {
      let entry = topics.get(topic.slug);
      if (entry === undefined) {
        entry = { name: topic.name, items: [] };
        topics.set(topic.slug, entry);
      }
      if (entry.items.length < listed) entry.items.push(item);
    }
  }
  const topicFeeds = [...topics.entries()].sort(byKey).map(
    ([slug, { name, items: list }]): FeedSpec => ({
      dir: `topics/${slug}/`,
      kind: 'topic',
      title: `${site.title}: ${name}`,
      name,
      description: fill(messagesFor(site.language).topicFeedDescription, { name, site: site.title }),
      items: list.slice(0, feedLimit),
      content: 'full',
    }),
  );
  const authorFeeds = options.authorFeeds ? planAuthorFeeds(items, options) : [];
  return [main, ...topicFeeds, ...authorFeeds];
}

function planAuthorFeeds(items: Item[], { site, feedLimit, authorContent }: SiteOptions): FeedSpec[] {
  const authors = new Map<string, { name: string; items: Item[] }>();
  for (const item of items) {
    for (const name of new Set(item.authors)) {
      const slug = authorSlug(name);
      const entry = authors.get(slug) ?? { name, items: [] };
      // Two spellings of one name share a slug: the story is listed once (items come in order,
      // so a repeat can only be the last one added).
      if (entry.items.at(-1) !== item) entry.items.push(item);
      authors.set(slug, entry);
    }
  }
  return [...authors.entries()].sort(byKey).map(
    ([slug, { name, items: list }]): FeedSpec => ({
      dir: `authors/${slug}/`,
      kind: 'author',
      title: `${site.title}: ${name}`,
      name,
      description: fill(messagesFor(site.language).authorFeedDescription, { name, site: site.title }),
      items: list.slice(0, feedLimit),
      content: authorContent ?? 'summary',
    }),
  );
}

export function authorSlug(name: string): string {
  return slugify(name, 60) || `author-${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;
}

/**
 * Every file of the site, rendered in memory: feeds in three formats, pages, the OPML list
 * and the feed stylesheet. Nothing is written here; a throw leaves out/ as it was.
 */
export function renderSite(items: Item[], options: SiteOptions): OutputFile[] {
  return planSite(items, options).map((file) => ({ path: file.path, contents: file.render() }));
}

/**
 * Every file of the site with its render key, not yet rendered: the writer renders only the
 * files whose key changed since the last build, one at a time. `memo` (kept by the caller
 * across builds) makes the keys of unchanged items and outputs lookups; the plan is the same.
 */
export function planSite(items: Item[], options: SiteOptions, memo?: RenderMemo): PlannedOutput[] {
  const { site } = options;
  const theme = options.theme ?? defaultSiteTheme();
  const keys = createRenderKeys(
    site,
    {
      feedLimit: options.feedLimit,
      authorFeeds: options.authorFeeds,
      authorContent: options.authorContent,
      archivePageSize: options.archivePageSize,
    },
    // A restyled template changes every page's key, as changed code does.
    `${options.codeVersion ?? ''} ${theme.version}`,
    memo instanceof RenderMemo ? memo : undefined,
  );
  const feeds = planFeeds(items, options);
  const files: PlannedOutput[] = [];
  // RFC 5005: the main feeds link the newest monthly archive, which links the rest (history.ts).
  const main = feeds[0] as FeedSpec;
  const archives = planFeedArchives(items, site, main, keys, options.archivePageSize);
  if (archives.newest) main.history = { prev: archives.newest };
  for (const spec of feeds) {
    // An empty feed is dated by the build's time; any other by its newest item.
    const parts = [
      keys.feed(spec),
      keys.items(spec.items),
      spec.items.length === 0 ? site.now : '',
      spec.history ?? null,
    ];
    files.push(
      {
        path: `${spec.dir}${FEED_FILES.rss}`,
        key: keys.of('rss', ...parts),
        render: () => renderRss(spec, site),
      },
      {
        path: `${spec.dir}${FEED_FILES.atom}`,
        key: keys.of('atom', ...parts),
        render: () => renderAtom(spec, site),
      },
      {
        path: `${spec.dir}${FEED_FILES.json}`,
        key: keys.of('json', ...parts),
        render: () => renderJsonFeed(spec, site),
      },
    );
  }
  const pagesInput = {
    site,
    items,
    latest: options.feedLimit,
    feeds,
    archivePageSize: options.archivePageSize,
    theme,
  };
  for (const page of planPages(pagesInput, keys)) files.push(page);
  files.push(...archives.outputs, ...planSitemaps(items, site, feeds, keys));
  const opmlDate = newestUpdate(site, items, keys.updatedTime);
  files.push(
    {
      path: 'feeds.opml',
      key: keys.of('opml', feeds.map(keys.feed), opmlDate.toISOString()),
      render: () => renderOpml(feeds, site, opmlDate),
    },
    {
      path: STYLESHEET_PATH,
      key: keys.of('xsl', site.timeZone),
      render: () => renderFeedStylesheet(site.language, site.timeZone),
    },
  );
  return files;
}

/** `feedUpdated` (model.ts), with each item's time through the keys (a memo keeps them). */
function newestUpdate(site: SiteInfo, items: Item[], time: (item: Item) => number): Date {
  let newest = Number.NEGATIVE_INFINITY;
  for (const item of items) newest = Math.max(newest, time(item));
  return new Date(items.length > 0 ? newest : Date.parse(site.now));
}

function byKey<T>(a: [string, T], b: [string, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
