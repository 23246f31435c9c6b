import type { Item, PlannedOutput } from '../types.ts';
import { renderAtom } from './atom.ts';
import type { RenderKeys } from './keys.ts';
import { type FeedSpec, feedUrl, type SiteInfo } from './model.ts';
import { type ArchiveMonth, archiveMonths, monthName } from './pages.ts';

/**
 * RFC 5005 archived feeds: one Atom document per month that has stories, at
 * `history/YYYY-MM.xml` (beside, not inside, the HTML `archive/`), holding every story published that month (in the site's time
 * zone) with its summary and a link to its page. Each is marked fh:archive and links
 * rel="current" (the subscription feed), rel="prev-archive" (the month before that has stories)
 * and rel="next-archive" (the one after). The subscription feeds link prev-archive to the newest
 * month, so a client that walks back from atom.xml meets every story, each in exactly one archive.
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

export function planFeedArchives(
  items: Item[],
  site: SiteInfo,
  main: FeedSpec,
  keys: RenderKeys,
): FeedArchives {
  const months = archiveMonths(items, site.timeZone);
  const url = (month: ArchiveMonth | undefined) =>
    month ? new URL(historyPath(month), site.baseUrl).href : undefined;
  const current = feedUrl(site, main, 'atom');
  const outputs = months.map((month, i): PlannedOutput => {
    const newer = months[i - 1];
    const older = months[i + 1];
    const spec: FeedSpec = {
      dir: '',
      // The main feed's kind: its entries' ids, links and authors are the subscription feed's.
      kind: 'main',
      title: `${site.title}: ${monthName(month, site)}`,
      name: site.title,
      description: site.description,
      items: month.items,
      content: 'summary',
      history: { archive: true, current, prev: url(older), next: url(newer) },
      // The month's HTML page exists only when the front page does not list every story.
      home: '',
    };
    return {
      path: historyPath(month),
      key: keys.of('atom-archive', keys.items(month.items), month.id, spec.title, spec.history),
      render: () => renderAtom(spec, site, historyPath(month)),
    };
  });
  return { newest: url(months[0]), outputs };
}

/** "history/2026-11.xml" */
function historyPath(month: ArchiveMonth): string {
  return `history/${month.id}.xml`;
}
