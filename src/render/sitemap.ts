import type { Item, PlannedOutput } from '../types.ts';
import type { RenderKeys } from './keys.ts';
import type { FeedSpec, SiteInfo } from './model.ts';
import { archiveMonths } from './pages.ts';
import { escapeXmlText } from './xml.ts';

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/**
 * `sitemap.xml`, a sitemap index (sitemaps.org 0.9) of one sitemap per month,
 * `sitemaps/YYYY-MM.xml` (each story's page, lastmod its last update), and `sitemaps/pages.xml`
 * (the front page and each topic's and author's page, lastmod their newest story's update);
 * and `robots.txt`, which names the index. A new story rewrites its month's sitemap, the index
 * and pages.xml, never another month's.
 */
export function planSitemaps(
  items: Item[],
  site: SiteInfo,
  feeds: FeedSpec[],
  keys: RenderKeys,
): PlannedOutput[] {
  const months = archiveMonths(items, site.timeZone);
  const url = (path: string) => new URL(path, site.baseUrl).href;
  const newestUpdate = (list: readonly Item[]) => {
    let newest = Number.NEGATIVE_INFINITY;
    for (const item of list) newest = Math.max(newest, keys.updatedTime(item));
    return list.length > 0 ? new Date(newest).toISOString() : undefined;
  };
  const pageEntries = feeds.map((feed) => ({ loc: url(feed.dir), lastmod: newestUpdate(feed.items) }));
  const monthFiles = months.map((month) => ({
    path: `sitemaps/${month.id}.xml`,
    items: month.items,
    lastmod: newestUpdate(month.items),
  }));
  const index = [
    { loc: url('sitemaps/pages.xml'), lastmod: newestUpdate(items) },
    ...monthFiles.map((file) => ({ loc: url(file.path), lastmod: file.lastmod })),
  ];
  return [
    {
      path: 'sitemap.xml',
      key: keys.of('sitemap-index', index),
      render: () => xml('sitemapindex', 'sitemap', index),
    },
    {
      path: 'sitemaps/pages.xml',
      key: keys.of('sitemap-pages', pageEntries),
      render: () => xml('urlset', 'url', pageEntries),
    },
    ...monthFiles.map(
      (file): PlannedOutput => ({
        path: file.path,
        key: keys.of(
          'sitemap-month',
          file.items.map((item) => [item.url, item.updated]),
        ),
        render: () =>
          xml(
            'urlset',
            'url',
            file.items.map((item) => ({
              loc: item.url,
              lastmod: new Date(keys.updatedTime(item)).toISOString(),
            })),
          ),
      }),
    ),
    {
      path: 'robots.txt',
      key: keys.of('robots'),
      render: () => `User-agent: *\nAllow: /\n\nSitemap: ${url('sitemap.xml')}\n`,
    },
  ];
}

function xml(root: string, element: string, entries: { loc: string; lastmod: string | undefined }[]): string {
  const rows = entries.map(
    ({ loc, lastmod }) =>
      `  <${element}><loc>${escapeXmlText(loc)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</${element}>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${SITEMAP_NS}">\n${rows.join('\n')}\n</${root}>\n`;
}
