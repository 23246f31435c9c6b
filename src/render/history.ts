import type { Item, PlannedOutput } from '../types.ts';
import { renderAtom } from './atom.ts';
import type { RenderKeys } from './keys.ts';
import { type FeedSpec, feedUrl, type SiteInfo } from './model.ts';
import {
  type ArchiveMonth,
  archiveMonths,
  checkedPageSize,
  type MonthPage,
  monthName,
  monthPages,
} from './pages.ts';

/**
 * RFC 5005 archived feeds: one Atom document per month that has stories, at
 * `history/YYYY-MM.xml` (beside, not inside, the HTML `archive/`), holding every story published
 * that month (in the site's time zone) with its summary and a link to its page. Each is marked
 * fh:archive and links rel="current" (the subscription feed), rel="prev-archive" (the document
 * before it) and rel="next-archive" (the one after). The subscription feeds link prev-archive to
 * the newest, so a client that walks back from atom.xml meets every story, each in exactly one
 * archive.
 *
 * A month of more stories than an archive page holds (`pageSize`, the HTML archive's, 1,000 by
 * default) continues, newest first as on the HTML pages, in `history/YYYY-MM-page-2.xml` and on:
 * one document of 100,000 undated stories first seen by one build was 75 MB, more than a feed
 * reader fetches, and took ~1 GiB to render. A month of up to a page is one document, as before.
 *
 * A month's bytes depend only on its own stories and its neighbours' ids: once it has closed
 * (and the month after it has its first story), it is never rewritten unless one of its
 * stories changes. Summaries, not whole stories: the archives hold every story ever published,
 * and the full text is one click away on its page.
 */
export interface FeedArchives {
  /** The newest archive's URL: the subscription feeds' prev-archive. */
  newest: string | undefined;
  outputs: PlannedOutput[];
}

/** One archive document: a month's page (as the HTML archive pages it). */
interface ArchivePage extends MonthPage {
  month: ArchiveMonth;
}

export function planFeedArchives(
  items: Item[],
  site: SiteInfo,
  main: FeedSpec,
  keys: RenderKeys,
  pageSize: number | undefined,
): FeedArchives {
  const pages = archivePages(archiveMonths(items, site.timeZone), checkedPageSize(pageSize));
  const url = (page: ArchivePage | undefined) =>
    page ? new URL(historyPath(page), site.baseUrl).href : undefined;
  const current = feedUrl(site, main, 'atom');
  const outputs = pages.map((page, i): PlannedOutput => {
    const newer = pages[i - 1];
    const older = pages[i + 1];
    const spec: FeedSpec = {
      dir: '',
      // The main feed's kind: its entries' ids, links and authors are the subscription feed's.
      kind: 'main',
      title: `${site.title}: ${pageTitle(page, site)}`,
      name: site.title,
      description: site.description,
      items: page.items,
      content: 'summary',
      history: { archive: true, current, prev: url(older), next: url(newer) },
      // The month's HTML page exists only when the front page does not list every story.
      home: '',
    };
    return {
      path: historyPath(page),
      key: keys.of('atom-archive', keys.items(page.items), page.month.id, spec.title, spec.history),
      render: () => renderAtom(spec, site, historyPath(page)),
    };
  });
  return { newest: url(pages[0]), outputs };
}

/** Every month's pages, newest month first, each month's newest stories first. */
function archivePages(months: ArchiveMonth[], size: number): ArchivePage[] {
  return months.flatMap((month) => monthPages(month, size).map((page) => ({ ...page, month })));
}

/** "November 2026", or "November 2026, page 2 of 3" for a month that takes more than one. */
function pageTitle(page: ArchivePage, site: SiteInfo): string {
  const name = monthName(page.month, site);
  return page.count === 1 ? name : `${name}, page ${page.number} of ${page.count}`;
}

/** "history/2026-11.xml" for a month's first page, "history/2026-11-page-2.xml" after it. */
function historyPath({ month, number }: ArchivePage): string {
  return number === 1 ? `history/${month.id}.xml` : `history/${month.id}-page-${number}.xml`;
}
