import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { summaryNeedsBody } from '../normalize/index.ts';
import type { Item, PlannedOutput } from '../types.ts';
import { renderItemContentHtml } from './content.ts';
import { escapeHtml } from './html.ts';
import type { RenderKeys } from './keys.ts';
import { cardMetaHtml, leadMediaHtml } from './media.ts';
import { fill, fillHtml, formatNumber, messagesFor, plural, textDirection } from './messages/index.ts';
import { FEED_FILES, type FeedSpec, type SiteInfo, siteUrl } from './model.ts';
import { joinAuthors } from './rss.ts';
import { formActionSources, SIGNUP_STYLE, signupFormHtml } from './signup-form.ts';
import type { SitePageTemplate, SiteTheme } from './theme.ts';
import { timeHtml } from './time-html.ts';

/**
 * The static pages: `index.html` (latest stories, every feed), `archive/index.html` (the
 * months, with their story counts) and `archive/YYYY/MM/index.html` (each month's stories; a
 * month of more than ARCHIVE_PAGE_SIZE continues on `archive/YYYY/MM/page/2/index.html`, …),
 * `topics/<slug>/index.html` and `authors/<slug>/index.html` (the home of each feed)
 * and one `articles/<slug>/index.html` per story. Links between pages are relative, so
 * the site works from any host or folder; no scripts, and a Content-Security-Policy that
 * would block one anyway.
 */

// 'self': the site's own pictures and sound (out/media/), also when served over plain http.
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; media-src 'self' https:";

/** The pages' CSP; with a signup form, `form-action` names where it may post (and nowhere else). */
function contentSecurityPolicy(site: SiteInfo): string {
  return site.signup ? `${CSP}; form-action ${formActionSources(site.signup, site.baseUrl)}` : CSP;
}

/**
 * The most stories one archive page lists; a month with more is split into numbered pages of
 * this many, newest first. A story's line is ~675 bytes, so a page stays near 0.7 MB: at
 * 100,000 stories a month page was 1.3-1.8 MB, and the month of the first build, which holds
 * every undated story, 8.5 MB (12,711 stories) for a reader's browser to load and a build to
 * hold as one string.
 */
export const ARCHIVE_PAGE_SIZE = 1_000;

export interface PagesInput {
  site: SiteInfo;
  /** Every item, newest first. */
  items: Item[];
  /** How many stories the front page lists; the archive lists the rest. */
  latest: number;
  /** Every feed we publish, main first. */
  feeds: FeedSpec[];
  /** Stories per archive page (a whole number, at least 1); ARCHIVE_PAGE_SIZE when not given. */
  archivePageSize?: number | undefined;
  /** The compiled site templates (templates/site/). */
  theme: SiteTheme;
}

/** Every page with its render key, rendered only when `render` is called. */
export function planPages(input: PagesInput, keys: RenderKeys): PlannedOutput[] {
  const { items, feeds } = input;
  const pages: PlannedOutput[] = [
    {
      path: 'index.html',
      key: keys.of('index', listedKeys(items.slice(0, input.latest)), items.length, feeds.map(keys.feed)),
      render: () => renderIndexPage(input),
    },
    { path: '404.html', key: keys.of('404'), render: () => renderNotFoundPage(input) },
  ];
  if (items.length > input.latest) {
    // One page per month, not one of every story: at 100,000 stories that page was 67 MB, and
    // any new story re-rendered it. Now a story re-renders its month and (by the counts) the index.
    const size = checkedPageSize(input.archivePageSize);
    const months = archiveMonths(items, input.site.timeZone);
    pages.push({
      // The page size is in every key (planSite's settings): the index shows page counts.
      path: 'archive/index.html',
      key: keys.of(
        'archive',
        months.map((month) => `${month.id} ${month.items.length}`),
      ),
      render: () => renderArchiveIndex(months, size, input),
    });
    months.forEach((month, i) => {
      const newer = months[i - 1];
      const older = months[i + 1];
      const monthly = monthPages(month, size);
      // Each page is keyed by its own stories, so a retitled story re-renders its page only; a
      // new story shifts the stories of every page of its month (most months have one), no
      // other month's.
      for (const page of monthly) {
        pages.push({
          path: `${pageDir(month, page.number)}index.html`,
          key: keys.of(
            'archive-month',
            listedKeys(page.items),
            month.id,
            page.number,
            page.count,
            older?.id ?? '',
            newer?.id ?? '',
          ),
          render: () => renderArchiveMonth(month, page, older, newer, input),
        });
      }
      // A split month's first page is the month's own URL; `page/1/` (where a reader or a crawler
      // counting down from page 2 lands) points there instead of being a 404.
      if (monthly.length > 1)
        pages.push({
          path: `${monthDir(month)}page/1/index.html`,
          key: keys.of('archive-page-1', month.id),
          render: () => renderFirstPageRedirect(month, input),
        });
    });
  }
  // Every feed's home link (RSS <link>, Atom rel="alternate", home_page_url) must resolve.
  for (const feed of feeds) {
    if (feed.kind === 'main') continue;
    pages.push({
      path: `${feed.dir}index.html`,
      key: keys.of('feed-page', keys.feed(feed), keys.items(feed.items)),
      render: () => renderFeedPage(feed, input),
    });
  }
  const feedsOf = articleFeedLookup(feeds);
  for (const item of items) {
    const { topics, announced } = feedsOf(item);
    pages.push({
      path: `articles/${item.slug}/index.html`,
      key: keys.of('article', keys.item(item), topics.map(keys.feed), announced.map(keys.feed)),
      render: () => renderArticlePage(item, input, feedsOf),
    });
  }
  return pages;
}

/**
 * What a story list (`storyList`) shows of each item, hashed once per Item object. The front
 * page and the archive are keyed by these, not by the whole item: an edit to a story's body
 * re-renders its page and feeds, not the 10,000-story archive. A summary cut from the lead
 * paragraph (a story without highlights, about one in ten) is keyed by the content hash that
 * covers it instead: worked out, it would load each such story's text (paged past
 * `ingest.textMemoryMB`: ~0.7 s of a one-edit 100k build), and an edit to such a story's body
 * re-renders only its month's page.
 */
const listedKeyOf = new WeakMap<Item, string>();

function listedKeys(items: readonly Item[]): string[] {
  return items.map((item) => {
    let key = listedKeyOf.get(item);
    if (key === undefined) {
      key = createHash('sha1')
        .update(JSON.stringify([item.slug, item.title, item.authors, item.published, listedSummaryKey(item)]))
        .digest('base64url');
      listedKeyOf.set(item, key);
    }
    return key;
  });
}

function listedSummaryKey(item: Item): string {
  return summaryNeedsBody(item.highlights) ? `#${item.contentHash}` : item.summary;
}

/** What the layout needs of a page besides its body. */
export interface PageOptions {
  site: SiteInfo;
  title: string;
  /** "../../" from an article page: the way back to the site root. */
  root: string;
  canonical: string;
  description: string;
  /** Feeds to announce with <link rel="alternate">, in their three formats. */
  feeds: Pick<FeedSpec, 'title' | 'dir'>[];
  /** More feeds to announce, given whole (the newsletter archive's Atom feed). */
  alternates?: Alternate[];
  /** More of <head>: a story's Open Graph and Twitter card tags. */
  head?: string;
  /** Carry the signup form (front page and story pages), when the site has one. */
  signup?: boolean;
  /** The front page: the site's name in the header is the page's one <h1>, not said twice. */
  headerIsHeading?: boolean;
  /** A page of `serve`'s own: a CSP instead of the site's (the preview frames the email). */
  csp?: string;
  /** Rules after the theme's stylesheet, for a page of `serve`'s own. */
  style?: string;
}

/** One <link rel="alternate">. */
export interface Alternate {
  type: string;
  title: string;
  href: string;
}

const FEED_TYPES = [
  ['rss', 'application/rss+xml', 'RSS'],
  ['atom', 'application/atom+xml', 'Atom'],
  ['json', 'application/feed+json', 'JSON Feed'],
] as const;

/** What every template sees, its partials too: the site, its words, the feed file names. */
const globalsBySite = new WeakMap<SiteInfo, object>();

function globalsOf(site: SiteInfo): object {
  let globals = globalsBySite.get(site);
  if (globals === undefined) {
    globals = siteGlobals(site);
    globalsBySite.set(site, globals);
  }
  return globals;
}

function siteGlobals(site: SiteInfo): object {
  return {
    site: {
      title: site.title,
      description: site.description,
      language: site.language,
      dir: textDirection(site.language),
      base_url: site.baseUrl,
      copyright: site.copyright ?? '',
    },
    t: messagesFor(site.language),
    feed_files: FEED_FILES,
  };
}

/** The page's `page` object: what the layout needs, and what a body template may use. */
function pageView(o: PageOptions, theme: SiteTheme): object {
  const alternates: Alternate[] = o.feeds.flatMap((feed) =>
    FEED_TYPES.map(([format, type, name]) => ({
      type,
      title: `${feed.title} (${name})`,
      href: o.root + feed.dir + FEED_FILES[format],
    })),
  );
  return {
    title: o.title,
    description: o.description,
    canonical: o.canonical,
    root: o.root,
    csp: o.csp ?? contentSecurityPolicy(o.site),
    alternates: o.alternates ? [...alternates, ...o.alternates] : alternates,
    head_html: o.head ?? '',
    style: [theme.style, o.site.signup ? SIGNUP_STYLE : '', o.style ?? '']
      .filter((part) => part !== '')
      .join('\n'),
    signup_html:
      o.signup && o.site.signup ? signupFormHtml(o.site.signup, o.root, o.site.language, o.site.title) : '',
    header_is_heading: o.headerIsHeading === true,
  };
}

/**
 * One page of the site's look: its body template filled with `view` (and `page`), then the
 * layout around it, as Jekyll does (`{{ content }}`). A whole page ends with one line break.
 * The newsletter archive and `serve`'s own pages are made with it too.
 */
export function renderSitePage(
  theme: SiteTheme,
  template: SitePageTemplate,
  view: object,
  o: PageOptions,
): string {
  const globals = globalsOf(o.site);
  const page = pageView(o, theme);
  const content = theme.render(template, { ...view, page }, globals);
  return `${theme.render('layout', { page, content }, globals)}\n`;
}

function renderPage(input: PagesInput, template: SitePageTemplate, view: object, o: PageOptions): string {
  return renderSitePage(input.theme, template, view, o);
}

function renderIndexPage(input: PagesInput): string {
  const { site, items } = input;
  const latest = items.slice(0, input.latest);
  const t = messagesFor(site.language);
  const view = {
    stories: storyViews(latest, site),
    all_stories_link:
      items.length > input.latest ? plural(t.allStoriesLink, items.length, site.language) : '',
    feeds: {
      main: input.feeds.filter((f) => f.kind === 'main').map(feedRowView),
      topics: input.feeds.filter((f) => f.kind === 'topic').map(feedRowView),
      authors: input.feeds.filter((f) => f.kind === 'author').map(feedRowView),
    },
    feeds_intro_html: fillHtml(t.feedsIntro, {
      opml: `<a href="feeds.opml">${escapeHtml(t.everyFeedAsOpml)}</a>`,
    }),
  };
  // The header already shows the site's name, as the page's heading here (headerIsHeading).
  return renderPage(input, 'index', view, {
    site,
    title: site.title,
    root: '',
    canonical: siteUrl(site),
    description: site.description,
    feeds: input.feeds.filter((f) => f.kind === 'main'),
    signup: true,
    headerIsHeading: true,
  });
}

function feedRowView(feed: FeedSpec): object {
  return { kind: feed.kind, name: feed.name, dir: feed.dir };
}

/**
 * 404.html in the site's own shell. Hosts serve it at any depth, so its links start from the
 * site's path (`/` or `/news/`), not from where the page is.
 */
function renderNotFoundPage(input: PagesInput): string {
  const { site } = input;
  const t = messagesFor(site.language);
  return renderPage(
    input,
    'not-found',
    {},
    {
      site,
      title: `${t.notFound} · ${site.title}`,
      root: new URL(siteUrl(site)).pathname,
      canonical: siteUrl(site),
      description: site.description,
      feeds: [],
    },
  );
}

/** One month of the archive, in the site's time zone. */
export interface ArchiveMonth {
  /** "2025-11": also the order of months. */
  id: string;
  /** The month's first instant, in the site's time zone. */
  start: DateTime;
  /** Newest first, as the items came. */
  items: Item[];
}

/**
 * The months that have stories, newest first, each with its stories in the order given
 * (newest first). Items arrive sorted by date, so a month is a run: luxon works out one
 * month's bounds per run and each item inside them costs a Date.parse (100,000 luxon
 * conversions were ~0.4 s a build).
 */
export function archiveMonths(items: readonly Item[], timeZone: string): ArchiveMonth[] {
  const byId = new Map<string, ArchiveMonth>();
  let from = Number.POSITIVE_INFINITY;
  let until = Number.NEGATIVE_INFINITY;
  let current: ArchiveMonth | undefined;
  for (const item of items) {
    const time = Date.parse(item.published);
    if (current === undefined || !(time >= from && time < until)) {
      const start = DateTime.fromMillis(time, { zone: timeZone }).startOf('month');
      from = start.toMillis();
      until = start.plus({ months: 1 }).toMillis();
      // From the numbers, not toFormat: the process's locale could bring other digits.
      const id = `${String(start.year).padStart(4, '0')}-${String(start.month).padStart(2, '0')}`;
      current = byId.get(id);
      if (current === undefined) {
        current = { id, start, items: [] };
        byId.set(id, current);
      }
    }
    current.items.push(item);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** "archive/2025/11/" */
function monthDir(month: ArchiveMonth): string {
  return `archive/${month.id.replace('-', '/')}/`;
}

/** One page of a month: `number` of `count`, with its stories (newest first) from `first` on. */
export interface MonthPage {
  number: number;
  count: number;
  /** The position of its first story in the month (0 on page 1). */
  first: number;
  items: Item[];
}

/** Stories per archive page (HTML and Atom archives alike): ARCHIVE_PAGE_SIZE when not given. */
export function checkedPageSize(given: number | undefined): number {
  const size = given ?? ARCHIVE_PAGE_SIZE;
  if (!Number.isSafeInteger(size) || size < 1)
    throw new RangeError(`archive page size must be a whole number of at least 1, not ${size}`);
  return size;
}

/** How many pages a month takes: 1 for a month of at most `size` stories. */
function pageCount(month: ArchiveMonth, size: number): number {
  return Math.max(1, Math.ceil(month.items.length / size));
}

/** A month's pages of `size` stories, newest first: the HTML archive's and the archived feeds'. */
export function monthPages(month: ArchiveMonth, size: number): MonthPage[] {
  const count = pageCount(month, size);
  return Array.from({ length: count }, (_, n) => ({
    number: n + 1,
    count,
    first: n * size,
    items: month.items.slice(n * size, (n + 1) * size),
  }));
}

/** "archive/2025/11/" for page 1, "archive/2025/11/page/2/" after it. */
function pageDir(month: ArchiveMonth, number: number): string {
  return number === 1 ? monthDir(month) : `${monthDir(month)}page/${number}/`;
}

/** "November 2025", in the site's language. */
export function monthName(month: ArchiveMonth, site: SiteInfo): string {
  return month.start.setLocale(site.language).toLocaleString({ month: 'long', year: 'numeric' });
}

function storyCount(count: number, site: SiteInfo): string {
  return plural(messagesFor(site.language).storyCount, count, site.language);
}

/**
 * `archive/index.html`: every month that has stories, by year, newest first, with its count
 * (and its number of pages, when it has more than one).
 */
function renderArchiveIndex(months: ArchiveMonth[], size: number, input: PagesInput): string {
  const { site } = input;
  const t = messagesFor(site.language);
  const years: ArchiveMonth[][] = [];
  for (const month of months) {
    const last = years.at(-1);
    if (last?.[0]?.start.year === month.start.year) last.push(month);
    else years.push([month]);
  }
  const monthView = (month: ArchiveMonth) => {
    const pages = pageCount(month, size);
    return {
      href: monthDir(month).slice('archive/'.length),
      name: monthName(month, site),
      count: `${storyCount(month.items.length, site)}${pages > 1 ? `, ${plural(t.pageCount, pages, site.language)}` : ''}`,
    };
  };
  const total = months.reduce((sum, month) => sum + month.items.length, 0);
  const view = {
    summary: fill(t.archiveSummary, { count: storyCount(total, site) }),
    years: years.map((list) => ({
      heading: list[0]?.start.setLocale(site.language).toLocaleString({ year: 'numeric' }) ?? '',
      months: list.map(monthView),
    })),
  };
  return renderPage(input, 'archive', view, {
    site,
    title: `${t.allStories} · ${site.title}`,
    root: '../',
    canonical: siteUrl(site, 'archive/'),
    description: site.description,
    feeds: input.feeds.filter((f) => f.kind === 'main'),
  });
}

/**
 * `archive/YYYY/MM/page/1/`: sends the reader on to the month's own URL, where its first page
 * is (a static host has no redirects of its own; a meta refresh works under the pages' CSP).
 * A page of its own, without the layout: nothing is shown before the browser moves on.
 */
function renderFirstPageRedirect(month: ArchiveMonth, input: PagesInput): string {
  const { site, theme } = input;
  const name = monthName(month, site);
  const page = {
    title: `${name} · ${site.title}`,
    canonical: siteUrl(site, monthDir(month)),
    target: '../../',
  };
  return `${theme.render('redirect', { page, month: name }, globalsOf(site))}\n`;
}

/**
 * `archive/YYYY/MM/index.html`: one month's stories, with the months either side. A month of
 * more pages continues on `archive/YYYY/MM/page/N/index.html`: its pages say "page N of M" and
 * link each other, their rel="prev" and rel="next" going to the page before and after (a
 * single page's go to the older and newer months, as they did before months had pages).
 */
function renderArchiveMonth(
  month: ArchiveMonth,
  page: MonthPage,
  older: ArchiveMonth | undefined,
  newer: ArchiveMonth | undefined,
  input: PagesInput,
): string {
  const { site } = input;
  const paged = page.count > 1;
  const root = page.number === 1 ? '../../../' : '../../../../../';
  const name = monthName(month, site);
  const t = messagesFor(site.language);
  const number = (value: number) => formatNumber(value, site.language);
  const pageOf = { month: name, page: number(page.number), pages: number(page.count), site: site.title };
  const heading = paged ? fill(t.monthPage, pageOf) : name;
  const numbered = paged
    ? Array.from({ length: page.count }, (_, i) =>
        i + 1 === page.number
          ? `<strong aria-current="page">${escapeHtml(number(i + 1))}</strong>`
          : `<a href="${escapeHtml(root + pageDir(month, i + 1))}">${escapeHtml(number(i + 1))}</a>`,
      )
    : [];
  const view = {
    heading,
    summary: paged ? pageRange(page, month, site) : storyCount(month.items.length, site),
    paged,
    older: older ? { href: monthDir(older), name: monthName(older, site) } : null,
    newer: newer ? { href: monthDir(newer), name: monthName(newer, site) } : null,
    pagination: {
      previous_href: paged && page.number > 1 ? pageDir(month, page.number - 1) : '',
      next_href: paged && page.number < page.count ? pageDir(month, page.number + 1) : '',
      pages_html: paged ? fillHtml(t.pages, { pages: numbered.join(' ') }) : '',
    },
    stories: storyViews(page.items, site),
  };
  return renderPage(input, 'archive-month', view, {
    site,
    title: `${heading} · ${site.title}`,
    root,
    canonical: siteUrl(site, pageDir(month, page.number)),
    description: fill(paged ? t.monthPageDescription : t.monthDescription, pageOf),
    feeds: input.feeds.filter((f) => f.kind === 'main'),
  });
}

/** "Stories 1,001–2,000 of 12,711"; "Story 12,711 of 12,711" alone on a last page. */
function pageRange(page: MonthPage, month: ArchiveMonth, site: SiteInfo): string {
  const t = messagesFor(site.language);
  const number = (value: number) => formatNumber(value, site.language);
  const last = page.first + page.items.length;
  const total = number(month.items.length);
  return page.items.length === 1
    ? fill(t.storyOf, { number: number(last), total })
    : fill(t.storiesOf, { first: number(page.first + 1), last: number(last), total });
}

/** The feeds an article page announces and links, in the order of `feeds`. */
interface ArticleFeeds {
  topics: FeedSpec[];
  announced: FeedSpec[];
}

/**
 * Per item, its topic feeds and the feeds its page announces (the main feeds and its topics'),
 * found through a map: a site has hundreds of feeds and scanning them all per page is
 * pages × feeds work.
 */
function articleFeedLookup(feeds: FeedSpec[]): (item: Item) => ArticleFeeds {
  const position = new Map(feeds.map((feed, i) => [feed, i]));
  const topicByDir = new Map(feeds.filter((f) => f.kind === 'topic').map((f) => [f.dir, f]));
  const mains = feeds.filter((f) => f.kind === 'main');
  const inFeedOrder = (list: FeedSpec[]) =>
    [...new Set(list)].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
  // Stories share a few topic combinations: work each out once (a Set and two sorts apiece).
  const byTopics = new Map<string, ArticleFeeds>();
  return (item) => {
    const combination = item.topics.map((t) => t.slug).join('\n');
    let found = byTopics.get(combination);
    if (!found) {
      const topics = inFeedOrder(item.topics.flatMap((t) => topicByDir.get(`topics/${t.slug}/`) ?? []));
      found = { topics, announced: inFeedOrder([...mains, ...topics]) };
      byTopics.set(combination, found);
    }
    return found;
  };
}

function renderArticlePage(item: Item, input: PagesInput, feedsOf: (item: Item) => ArticleFeeds): string {
  const { site } = input;
  const root = '../../';
  const t = messagesFor(site.language);
  const { topics: topicFeeds, announced } = feedsOf(item);
  const story = {
    title: item.title,
    byline_html:
      item.authors.length > 0
        ? fillHtml(t.by, { authors: escapeHtml(joinAuthors(item.authors, site.language)) })
        : '',
    published_html: timeHtml(item.published, site),
    updated_html:
      item.updated !== item.published ? fillHtml(t.updated, { time: timeHtml(item.updated, site) }) : '',
    original_html: item.canonicalUrl
      ? fillHtml(t.originallyPublished, {
          host: `<a href="${escapeHtml(item.canonicalUrl)}">${escapeHtml(new URL(item.canonicalUrl).host)}</a>`,
        })
      : '',
    lead_html: leadMediaHtml(item.media),
    content_html: renderItemContentHtml(item, {
      headingLevel: 2,
      language: site.language,
      relatedHref: (link) => relativeToRoot(link.url, site, root),
    }),
    topics_html:
      topicFeeds.length > 0
        ? fillHtml(t.topics, {
            topics: topicFeeds
              .map((f) => `<a href="${escapeHtml(root + f.dir)}">${escapeHtml(f.name)}</a>`)
              .join(', '),
          })
        : '',
  };
  return renderPage(
    input,
    'article',
    { story },
    {
      site,
      title: `${item.title} · ${site.title}`,
      root,
      canonical: item.canonicalUrl ?? item.url,
      description: item.summary,
      feeds: announced,
      head: cardMetaHtml(item, site),
      signup: true,
    },
  );
}

/** A topic's or an author's page: its latest stories and its three feeds. */
function renderFeedPage(feed: FeedSpec, input: PagesInput): string {
  const { site } = input;
  const links = (['rss', 'atom', 'json'] as const)
    .map((format) => `<a href="${escapeHtml(FEED_FILES[format])}">${FORMAT_NAMES[format]}</a>`)
    .join(' · ');
  const view = {
    feed: { name: feed.name, description: feed.description, dir: feed.dir, kind: feed.kind },
    subscribe_html: fillHtml(messagesFor(site.language).subscribeTo, { links }),
    stories: storyViews(feed.items, site),
  };
  return renderPage(input, 'feed', view, {
    site,
    title: `${feed.name} · ${site.title}`,
    root: '../../',
    canonical: siteUrl(site, feed.dir),
    description: feed.description,
    feeds: [feed],
  });
}

const FORMAT_NAMES = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' } as const;

/** What a story list (templates/site/story-list.liquid) shows of each story. */
function storyViews(items: Item[], site: SiteInfo): object[] {
  return items.map((item) => ({
    slug: item.slug,
    title: item.title,
    authors: item.authors.length > 0 ? joinAuthors(item.authors, site.language) : '',
    published_html: timeHtml(item.published, site),
    summary: item.summary ?? '',
  }));
}

/** Our own absolute URL made relative to the page, so links work wherever the site is served. */
function relativeToRoot(url: string, site: SiteInfo, root: string): string {
  return url.startsWith(site.baseUrl) ? root + url.slice(site.baseUrl.length) : url;
}
