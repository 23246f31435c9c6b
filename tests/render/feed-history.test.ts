import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Article, Item } from '../../src/types.ts';
import { article, hostileArticle, renderSampleSite, sampleItems, siteInfo } from './fixtures/index.ts';

const BASE = 'https://news.example.com/';

/** 30 stories, a few days apart from July to November 2026, plus the hostile one (July 2025). */
function spreadArticles(): Article[] {
  return Array.from({ length: 30 }, (_, n) =>
    article({
      title: `Story number ${n + 1}`,
      published: new Date(Date.UTC(2026, 6, 2, 12) + n * 4.5 * 86_400_000).toISOString(),
      authors: ['Ana Ruiz'],
    }),
  );
}

const items = () => sampleItems([...spreadArticles(), hostileArticle()]);
const render = (list: Item[]) => renderSampleSite(list, { feedLimit: 5 });

interface Link {
  '@_rel'?: string;
  '@_href': string;
}
interface AtomDoc {
  feed: { entry?: { id: string }[]; link: Link[]; 'fh:archive'?: unknown };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => name === 'entry' || name === 'link',
});

/** A feed client following RFC 5005 from the subscription feed: each document's ids, in walk order. */
function walk(site: Map<string, string>, start: string): { url: string; ids: string[]; doc: AtomDoc }[] {
  const visited: { url: string; ids: string[]; doc: AtomDoc }[] = [];
  const seen = new Set<string>();
  let url: string | undefined = new URL(start, BASE).href;
  while (url !== undefined) {
    if (seen.has(url)) throw new Error(`the chain loops at ${url}`);
    seen.add(url);
    const body = site.get(url.slice(BASE.length));
    if (body === undefined) throw new Error(`prev-archive points at a missing file: ${url}`);
    const doc = parser.parse(body) as AtomDoc;
    visited.push({ url, ids: (doc.feed.entry ?? []).map((e) => String(e.id)), doc });
    url = doc.feed.link.find((l) => l['@_rel'] === 'prev-archive')?.['@_href'];
  }
  return visited;
}

const rel = (doc: AtomDoc, name: string) => doc.feed.link.find((l) => l['@_rel'] === name)?.['@_href'];

describe('RFC 5005 archived feeds', () => {
  it('lead a client walking back from atom.xml to every story, each in exactly one archive', () => {
    const list = items();
    const site = render(list);
    const [subscription, ...archives] = walk(site, 'atom.xml');
    if (!subscription) throw new Error('no atom.xml');
    expect(subscription.ids).toHaveLength(5);
    expect(subscription.doc.feed['fh:archive']).toBeUndefined();
    // July 2025 (the hostile story), then July to November 2026: six months, newest first.
    expect(archives.map((a) => a.url.slice(BASE.length))).toEqual([
      'history/2026-11.xml',
      'history/2026-10.xml',
      'history/2026-09.xml',
      'history/2026-08.xml',
      'history/2026-07.xml',
      'history/2025-07.xml',
    ]);
    const collected = archives.flatMap((a) => a.ids);
    expect(collected.length).toBe(list.length);
    expect(new Set(collected)).toEqual(new Set(list.map((item) => item.id)));
    for (const id of subscription.ids) expect(collected).toContain(id);
    archives.forEach((archive, i) => {
      expect(archive.doc.feed['fh:archive'], archive.url).toBe('');
      expect(rel(archive.doc, 'current')).toBe(`${BASE}atom.xml`);
      expect(rel(archive.doc, 'self')).toBe(archive.url);
      expect(rel(archive.doc, 'next-archive')).toBe(archives[i - 1]?.url);
    });
    // RSS names the same newest archive.
    expect(site.get('rss.xml')).toContain(
      `<atom:link rel="prev-archive" href="${BASE}history/2026-11.xml"/>`,
    );
  });

  it('page a month of more stories than an archive page, newest first, and still reach each story once', () => {
    // 30 stories 4.5 days apart: July 2026 holds 7 of them (July 2, 6, 11, 15, 20, 24, 29).
    const list = items();
    const site = render(list);
    const paged = renderSampleSite(list, { feedLimit: 5, archivePageSize: 3 });
    const [, ...archives] = walk(paged, 'atom.xml');
    const july = archives.filter((a) => a.url.includes('/history/2026-07'));
    expect(july.map((a) => a.url.slice(BASE.length))).toEqual([
      'history/2026-07.xml',
      'history/2026-07-page-2.xml',
      'history/2026-07-page-3.xml',
    ]);
    expect(july.map((a) => a.ids.length)).toEqual([3, 3, 1]);
    // Newest first across the pages: each page's stories are older than the page before's.
    const julyIds = july.flatMap((a) => a.ids);
    const unpagedJuly = walk(site, 'atom.xml').find((a) => a.url.endsWith('/history/2026-07.xml'));
    expect(julyIds).toEqual(unpagedJuly?.ids);
    const titles = july.map((a) => parser.parse(paged.get(a.url.slice(BASE.length)) ?? '').feed.title);
    expect(titles.map(String)).toEqual([
      expect.stringMatching(/July 2026, page 1 of 3$/),
      expect.stringMatching(/July 2026, page 2 of 3$/),
      expect.stringMatching(/July 2026, page 3 of 3$/),
    ]);
    // Every story once over the whole walk, and the chain is linked both ways.
    const collected = archives.flatMap((a) => a.ids);
    expect(collected.length).toBe(list.length);
    expect(new Set(collected)).toEqual(new Set(list.map((item) => item.id)));
    archives.forEach((archive, i) => {
      expect(rel(archive.doc, 'next-archive')).toBe(archives[i - 1]?.url);
    });
    // Where no month holds more than a page, every archive is the one document it was.
    const largest = Math.max(
      ...walk(site, 'atom.xml')
        .slice(1)
        .map((a) => a.ids.length),
    );
    const onePageEach = renderSampleSite(list, { feedLimit: 5, archivePageSize: largest });
    const history = [...site.keys()].filter((path) => path.startsWith('history/'));
    expect(history.length).toBeGreaterThan(5);
    for (const path of history) expect(onePageEach.get(path), path).toBe(site.get(path));
    expect(() => renderSampleSite(list, { archivePageSize: 0 })).toThrow(RangeError);
  });

  it('keep a closed month byte for byte when newer stories come, and rewrite it when its own story changes', () => {
    const list = items();
    const before = render(list);
    const newer = sampleItems([
      ...spreadArticles(),
      hostileArticle(),
      article({ title: 'A later November story', published: '2026-11-29T10:00:00Z' }),
    ]);
    const after = render(newer);
    for (const month of ['2025-07', '2026-07', '2026-08', '2026-09', '2026-10'])
      expect(after.get(`history/${month}.xml`), month).toBe(before.get(`history/${month}.xml`));
    expect(after.get('history/2026-11.xml')).not.toBe(before.get('history/2026-11.xml'));
    const retitled = sampleItems([
      ...spreadArticles().map((a) =>
        a.title === 'Story number 16' ? { ...a, body: ['An edited paragraph.'] } : a,
      ),
      hostileArticle(),
    ]);
    const edited = render(retitled);
    const changed = [...edited.keys()].filter(
      (path) => path.startsWith('history/') && edited.get(path) !== before.get(path),
    );
    // Story 16 is dated 2026-09-07: its month alone, of the archives, changes (its summary).
    expect(changed).toEqual(['history/2026-09.xml']);
  });

  it('write a sitemap index of monthly sitemaps, lastmod from updates, named by robots.txt', () => {
    const list = items();
    const site = render(list);
    expect(site.get('robots.txt')).toBe(`User-agent: *\nAllow: /\n\nSitemap: ${BASE}sitemap.xml\n`);
    const index = new XMLParser({ isArray: (name) => name === 'sitemap' || name === 'url' }).parse(
      site.get('sitemap.xml') ?? '',
    ) as { sitemapindex: { sitemap: { loc: string; lastmod: string }[] } };
    const sitemaps = index.sitemapindex.sitemap;
    expect(sitemaps.map((s) => s.loc)).toContain(`${BASE}sitemaps/2026-09.xml`);
    const pages = new Set<string>();
    for (const { loc, lastmod } of sitemaps) {
      const body = site.get(loc.slice(BASE.length));
      expect(body, loc).toBeDefined();
      const urls = (
        new XMLParser({ isArray: (name) => name === 'url' }).parse(body ?? '') as {
          urlset: { url: { loc: string; lastmod: string }[] };
        }
      ).urlset.url;
      // The sitemap's lastmod is its newest page's.
      expect(lastmod).toBe(
        urls
          .map((u) => u.lastmod)
          .sort()
          .at(-1),
      );
      for (const url of urls) pages.add(url.loc);
    }
    for (const item of list) {
      expect(pages).toContain(item.url);
      expect(site.has(`${item.url.slice(BASE.length)}index.html`), item.url).toBe(true);
    }
    expect(pages).toContain(BASE);
  });

  it('uses the site time zone for a month: a story at 03:00 UTC on the 1st is the month before in New York', () => {
    const site = renderSampleSite(
      sampleItems([article({ title: 'Late night', published: '2026-11-01T03:00:00Z' })]),
      { site: siteInfo(), feedLimit: 5 },
    );
    expect(site.has('history/2026-10.xml')).toBe(true);
    expect(site.has('history/2026-11.xml')).toBe(false);
  });
});
