import { describe, expect, it } from 'vitest';
import { ARCHIVE_PAGE_SIZE, planSite, type RenderMemo, type SiteOptions } from '../../src/render/index.ts';
import type { Item } from '../../src/types.ts';
import { expectArchiveStable } from './fixtures/archive.ts';
import { findExecutableMarkup, sampleItems, siteInfo } from './fixtures/index.ts';

/**
 * A month of more than ARCHIVE_PAGE_SIZE stories is split into numbered pages: page 1 at
 * `archive/YYYY/MM/index.html`, the rest at `archive/YYYY/MM/page/N/index.html`, newest first.
 * Here January 2026 has 2,345 stories (three pages: 1,000, 1,000 and 345) between two small
 * months, February 2026 (3) and December 2025 (2), in New York time.
 */

const options: SiteOptions = { site: siteInfo(), feedLimit: 1, authorFeeds: false, codeVersion: 'v1' };
const BASE = sampleItems()[1] as Item;
const MINUTE = 60_000;

/** Stories `count` minutes apart going back from `newest`, newest first, as normalize orders them. */
function run(prefix: string, count: number, newest: string): Item[] {
  const start = Date.parse(newest);
  return Array.from({ length: count }, (_, n) => {
    const published = new Date(start - n * 17 * MINUTE).toISOString().replace('.000Z', 'Z');
    return {
      ...BASE,
      id: `tag:news.example.com,2026-11-24:${prefix}-${n}`,
      slug: `${prefix}-${n}`,
      url: `https://news.example.com/articles/${prefix}-${n}/`,
      title: `${prefix} story ${n}`,
      published,
      updated: published,
    };
  });
}

const FEB = run('feb', 3, '2026-02-20T15:00:00Z');
const JAN = run('jan', 2345, '2026-01-31T23:00:00Z');
const DEC = run('dec', 2, '2025-12-20T15:00:00Z');

function items(change: (item: Item) => Item = (item) => item): Item[] {
  return [...FEB, ...JAN, ...DEC].map(change);
}

function plan(list: Item[], siteOptions: SiteOptions = options, memo?: RenderMemo) {
  return new Map(planSite(list, siteOptions, memo).map((file) => [file.path, file]));
}

/** The archive's pages rendered; every other planned path, unrendered (as ''). */
function rendered(list: Item[], siteOptions: SiteOptions = options): Map<string, string> {
  return new Map(
    [...plan(list, siteOptions)].map(([path, file]) => [
      path,
      path.startsWith('archive/') ? String(file.render()) : '',
    ]),
  );
}

const JAN_PAGES = [
  'archive/2026/01/index.html',
  'archive/2026/01/page/2/index.html',
  'archive/2026/01/page/3/index.html',
];
const ORIGIN = 'https://site.test/';

/** The slugs a page lists, in order (every archive link to an article, whatever the depth). */
const storyLinks = (html: string) =>
  [...html.matchAll(/<h2><a href="(?:\.\.\/)+articles\/([^"/]+)\/">/g)].map((m) => String(m[1]));

/** The page's links with `rel`, as paths from the site root ("archive/2026/01/page/2/"). */
function relLinks(path: string, html: string, rel: string): string[] {
  const hrefs = [...html.matchAll(new RegExp(`<a href="([^"]+)" rel="${rel}">`, 'g'))].map((m) =>
    String(m[1]),
  );
  return [...new Set(hrefs)].map((href) => resolve(path, href));
}

/** `href` as read on the page at `path`, as a path from the site root. */
function resolve(path: string, href: string): string {
  return new URL(href, ORIGIN + path).href.slice(ORIGIN.length);
}

/** The planned file a folder or file link reaches. */
const target = (to: string) => (to === '' || to.endsWith('/') ? `${to}index.html` : to);

describe('a month of more stories than an archive page lists', () => {
  const list = items();
  const site = rendered(list);
  const janSlugs = JAN.map((item) => item.slug);

  it('keeps 1,000 stories a page by default', () => {
    expect(ARCHIVE_PAGE_SIZE).toBe(1000);
  });

  it('is split into pages of 1,000, 1,000 and 345, newest first; a small month has no page/ folder', () => {
    const archive = [...site.keys()].filter((path) => path.startsWith('archive/')).sort();
    expect(archive).toEqual(
      [
        'archive/index.html',
        'archive/2026/02/index.html',
        ...JAN_PAGES,
        'archive/2026/01/page/1/index.html',
        'archive/2025/12/index.html',
      ].sort(),
    );
    const pages = JAN_PAGES.map((path) => storyLinks(site.get(path) ?? ''));
    expect(pages.map((page) => page.length)).toEqual([1000, 1000, 345]);
    expect(pages.flat()).toEqual(janSlugs);
    expect(storyLinks(site.get('archive/2026/02/index.html') ?? '')).toEqual(FEB.map((item) => item.slug));
  });

  it('answers page/1/ of a split month by sending the reader to the month, its first page', () => {
    const html = site.get('archive/2026/01/page/1/index.html') ?? '';
    expect(html).toContain('<meta http-equiv="refresh" content="0; url=../../">');
    expect(html).toMatch(/<link rel="canonical" href="[^"]*\/archive\/2026\/01\/">/);
    expect(html).toContain('<a href="../../">');
    expect(site.has('archive/2026/02/page/1/index.html')).toBe(false);
  });

  it('lists every story on exactly one archive page', () => {
    const linked = [...site]
      .filter(
        ([path]) =>
          path.startsWith('archive/') && path !== 'archive/index.html' && !path.includes('/page/1/'),
      )
      .flatMap(([, html]) => storyLinks(html));
    expect(linked.sort()).toEqual(list.map((item) => item.slug).sort());
    expect(new Set(linked).size).toBe(list.length);
  });

  it('links each page to the page before and after it, and the last page to no next one', () => {
    const expected = [
      { prev: [], next: ['archive/2026/01/page/2/'] },
      { prev: ['archive/2026/01/'], next: ['archive/2026/01/page/3/'] },
      { prev: ['archive/2026/01/page/2/'], next: [] },
    ];
    JAN_PAGES.forEach((path, i) => {
      const html = site.get(path) ?? '';
      expect(relLinks(path, html, 'prev'), path).toEqual(expected[i]?.prev);
      expect(relLinks(path, html, 'next'), path).toEqual(expected[i]?.next);
      for (const to of [...relLinks(path, html, 'prev'), ...relLinks(path, html, 'next')])
        expect(site.has(target(to)), `${path} → ${to}`).toBe(true);
    });
    const second = site.get(JAN_PAGES[1] as string) ?? '';
    expect(second).toContain('<a href="../../../../../archive/2026/01/" rel="prev">← Previous page</a>');
    expect(second).toContain('<a href="../../../../../archive/2026/01/page/3/" rel="next">Next page →</a>');
    expect(second).toContain(
      'Pages: <a href="../../../../../archive/2026/01/">1</a> <strong aria-current="page">2</strong> <a href="../../../../../archive/2026/01/page/3/">3</a>',
    );
  });

  it('reaches only planned files from every link of every archive page', () => {
    for (const [path, html] of site) {
      if (!path.startsWith('archive/')) continue;
      for (const m of html.matchAll(/<a href="([^"]+)"/g)) {
        const url = new URL(String(m[1]), ORIGIN + path).href;
        if (!url.startsWith(ORIGIN)) continue; // another host's page is not ours to plan
        expect(site.has(target(url.slice(ORIGIN.length))), `${path} → ${m[1]}`).toBe(true);
      }
    }
  });

  it('keeps the months either side, "All months" and the site root on every page', () => {
    JAN_PAGES.forEach((path, i) => {
      const html = site.get(path) ?? '';
      const root = i === 0 ? '../../../' : '../../../../../';
      expect(html, path).toContain(`<a href="${root}archive/2025/12/">← December 2025</a>`);
      expect(html, path).toContain(`<a href="${root}archive/">All months</a>`);
      expect(html, path).toContain(`<a href="${root}archive/2026/02/">February 2026 →</a>`);
      expect(html, path).toContain(`<header><a href="${root}">Harbor City Ledger</a></header>`);
      expect(html, path).toContain(`href="${root}rss.xml"`);
    });
    // The small months still link the month (its first page), as before months had pages.
    expect(site.get('archive/2026/02/index.html')).toContain(
      '<a href="../../../archive/2026/01/" rel="prev">← January 2026</a>',
    );
    expect(site.get('archive/2025/12/index.html')).toContain(
      '<a href="../../../archive/2026/01/" rel="next">January 2026 →</a>',
    );
  });

  it('says which page of how many, which stories, and is its own canonical URL', () => {
    const canonical = ['archive/2026/01/', 'archive/2026/01/page/2/', 'archive/2026/01/page/3/'];
    const ranges = [
      'Stories 1–1,000 of 2,345',
      'Stories 1,001–2,000 of 2,345',
      'Stories 2,001–2,345 of 2,345',
    ];
    JAN_PAGES.forEach((path, i) => {
      const html = site.get(path) ?? '';
      expect(html, path).toContain(`<h1>January 2026, page ${i + 1} of 3</h1>`);
      expect(html, path).toContain(`<title>January 2026, page ${i + 1} of 3 · Harbor City Ledger</title>`);
      expect(html, path).toContain(`<p class="summary">${ranges[i]}</p>`);
      expect(html, path).toContain(`<link rel="canonical" href="https://news.example.com/${canonical[i]}">`);
      expect(findExecutableMarkup(html), path).toBeNull();
    });
  });

  it("shows each month's total and its pages in the index of months", () => {
    const index = site.get('archive/index.html') ?? '';
    expect(index).toContain('<a href="2026/01/">January 2026</a> (2,345 stories, 3 pages)');
    expect(index).toContain('<a href="2026/02/">February 2026</a> (3 stories)</li>');
    expect(index).toContain('2,350 stories, by the month they were published.');
  });

  it('leaves a month of exactly a page as one page, as it was before months had pages', () => {
    const full = rendered([...FEB, ...JAN.slice(0, ARCHIVE_PAGE_SIZE), ...DEC]);
    const january = full.get('archive/2026/01/index.html') ?? '';
    expect([...full.keys()].filter((path) => path.includes('/page/'))).toEqual([]);
    expect(january).toContain(
      '<h1>January 2026</h1>\n<p class="summary">1,000 stories</p>\n<nav class="months">',
    );
    expect(january).toContain('<title>January 2026 · Harbor City Ledger</title>');
    expect(january).toContain('<a href="../../../archive/2025/12/" rel="prev">← December 2025</a>');
    expect(january).not.toContain('page');
    expect(full.get('archive/index.html')).toContain('(1,000 stories)</li>');
    // The same bytes whatever the page size, as long as the month fits on one page.
    const unbounded = rendered([...FEB, ...JAN.slice(0, ARCHIVE_PAGE_SIZE), ...DEC], {
      ...options,
      archivePageSize: 1_000_000,
    });
    for (const [path, html] of full)
      if (path.startsWith('archive/')) expect(unbounded.get(path), path).toBe(html);
    const over = rendered([...FEB, ...JAN.slice(0, ARCHIVE_PAGE_SIZE + 1), ...DEC]);
    expect(storyLinks(over.get('archive/2026/01/page/2/index.html') ?? '')).toEqual([
      JAN[ARCHIVE_PAGE_SIZE]?.slug,
    ]);
    expect(over.get('archive/2026/01/page/2/index.html')).toContain(
      '<p class="summary">Story 1,001 of 1,001</p>',
    );
  });

  it('pages by a smaller size when given one', () => {
    const small = rendered(items(), { ...options, archivePageSize: 2 });
    expect(small.has('archive/2026/02/page/2/index.html')).toBe(true);
    expect(small.has('archive/2026/02/page/3/index.html')).toBe(false);
    expect(storyLinks(small.get('archive/2026/02/page/2/index.html') ?? '')).toEqual(['feb-2']);
    expect(small.has('archive/2025/12/page/2/index.html')).toBe(false);
    expect(small.has('archive/2026/01/page/1173/index.html')).toBe(true);
    expect(small.get('archive/index.html')).toContain('(2,345 stories, 1,173 pages)');
    expect(() => rendered(items(), { ...options, archivePageSize: 0 })).toThrow(RangeError);
  });

  it('is byte-identical for the same input, with or without a memo', () => {
    expectArchiveStable(items, options);
  });

  const changedArchive = (before: ReturnType<typeof plan>, after: ReturnType<typeof plan>) =>
    [...new Set([...before.keys(), ...after.keys()])]
      .filter((path) => path.startsWith('archive/') && after.get(path)?.key !== before.get(path)?.key)
      .sort();

  it('re-keys only the page of a retitled story', () => {
    const before = plan(items());
    const story = JAN[2100] as Item;
    const after = plan(items((item) => (item === story ? { ...item, title: 'Retitled on page 3' } : item)));
    expect(changedArchive(before, after)).toEqual([JAN_PAGES[2]]);
    expect(after.get(JAN_PAGES[2] as string)?.render()).toContain('Retitled on page 3');
  });

  it("re-keys a new story's month pages and the index, never another month's page", () => {
    const before = plan(items());
    const fresh = {
      ...(JAN[0] as Item),
      id: 'tag:news.example.com,2026-11-24:jan-new',
      slug: 'jan-new',
      title: 'New in January',
    };
    const after = plan([...FEB, fresh, ...JAN, ...DEC]);
    expect(changedArchive(before, after)).toEqual(['archive/index.html', ...JAN_PAGES].sort());
    // One more story in February: February and the index; January's pages keep their keys.
    const feb = {
      ...(FEB[0] as Item),
      id: 'tag:news.example.com,2026-11-24:feb-new',
      slug: 'feb-new',
      title: 'New in February',
    };
    expect(changedArchive(before, plan([feb, ...items()]))).toEqual(
      ['archive/index.html', 'archive/2026/02/index.html'].sort(),
    );
  });

  it('adds a page when a month grows past a page, re-keying that month only', () => {
    const exact = [...FEB, ...JAN.slice(0, 2000), ...DEC];
    const before = plan(exact);
    expect(before.has('archive/2026/01/page/3/index.html')).toBe(false);
    const after = plan([...FEB, ...JAN.slice(0, 2001), ...DEC]);
    expect(changedArchive(before, after)).toEqual(['archive/index.html', ...JAN_PAGES].sort());
  });
});
