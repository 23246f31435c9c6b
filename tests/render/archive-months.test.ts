import { describe, expect, it } from 'vitest';
import { planSite, type RenderMemo, type SiteOptions } from '../../src/render/index.ts';
import type { Item } from '../../src/types.ts';
import { expectArchiveStable } from './fixtures/archive.ts';
import { article, findExecutableMarkup, sampleItems, siteInfo } from './fixtures/index.ts';

/**
 * The archive is an index of months (`archive/index.html`) and one page per month
 * (`archive/YYYY/MM/index.html`), months taken in the site's time zone (America/New_York here).
 */

const DATES: Record<string, string> = {
  'Jan late': '2026-01-20T15:00:00Z',
  'Jan early': '2026-01-02T15:00:00Z',
  // Midnight in New York on 1 December: December's first story.
  'Dec first': '2025-12-01T05:00:00Z',
  // 1 December in UTC, but 30 November, 10 PM, in New York: November's last story.
  'Nov edge': '2025-12-01T03:00:00Z',
  'Nov middle': '2025-11-15T12:00:00Z',
  // Midnight in New York on 1 November (UTC-4 then): still November.
  'Nov first': '2025-11-01T04:00:00Z',
  // No story in October: November's older neighbour is September.
  'Sep late': '2025-09-30T12:00:00Z',
  'Sep early': '2025-09-01T12:00:00Z',
};

const options: SiteOptions = { site: siteInfo(), feedLimit: 1, authorFeeds: true, codeVersion: 'v1' };

function items(change: (item: Item) => Item = (item) => item): Item[] {
  return sampleItems(Object.entries(DATES).map(([title, published]) => article({ title, published }))).map(
    change,
  );
}

function plan(list: Item[], siteOptions: SiteOptions = options, memo?: RenderMemo) {
  return new Map(planSite(list, siteOptions, memo).map((file) => [file.path, file]));
}

function rendered(list: Item[], siteOptions: SiteOptions = options): Map<string, string> {
  return new Map([...plan(list, siteOptions)].map(([path, file]) => [path, String(file.render())]));
}

const MONTHS = ['2026/01', '2025/12', '2025/11', '2025/09'];
const monthPath = (month: string) => `archive/${month}/index.html`;
const storyLinks = (html: string) =>
  [...html.matchAll(/<h2><a href="\.\.\/\.\.\/\.\.\/articles\/([^"/]+)\/">/g)].map((m) => String(m[1]));
const navLink = (html: string, rel: string) =>
  new Set([...html.matchAll(new RegExp(`<a href="([^"]+)" rel="${rel}">`, 'g'))].map((m) => m[1]));

describe('the archive by month', () => {
  const list = items();
  const site = rendered(list);
  const bySlug = new Map(list.map((item) => [item.slug, item.title]));

  it('writes an index of months and one page per month that has stories', () => {
    expect([...site.keys()].filter((path) => path.startsWith('archive/')).sort()).toEqual(
      ['archive/index.html', ...MONTHS.map(monthPath)].sort(),
    );
  });

  it("takes the month in the site's time zone", () => {
    const titles = (month: string) => storyLinks(site.get(monthPath(month)) ?? '').map((s) => bySlug.get(s));
    expect(titles('2025/11')).toEqual(['Nov edge', 'Nov middle', 'Nov first']);
    expect(titles('2025/12')).toEqual(['Dec first']);
    expect(titles('2026/01')).toEqual(['Jan late', 'Jan early']);
    expect(titles('2025/09')).toEqual(['Sep late', 'Sep early']);
    // The same instant is December's in Tokyo.
    const tokyo = rendered(list, { ...options, site: siteInfo({ timeZone: 'Asia/Tokyo' }) });
    expect(storyLinks(tokyo.get(monthPath('2025/12')) ?? '').map((s) => bySlug.get(s))).toContain('Nov edge');
  });

  it('links every story from exactly one month page, newest first', () => {
    const linked = MONTHS.flatMap((month) => storyLinks(site.get(monthPath(month)) ?? ''));
    expect(linked).toEqual(list.map((item) => item.slug));
    expect(new Set(linked).size).toBe(list.length);
  });

  it('links each month page to the older and newer months that have stories, and back to the index', () => {
    const expected: Record<string, { prev?: string; next?: string }> = {
      '2026/01': { prev: '2025/12' },
      '2025/12': { prev: '2025/11', next: '2026/01' },
      '2025/11': { prev: '2025/09', next: '2025/12' },
      '2025/09': { next: '2025/11' },
    };
    for (const [month, { prev, next }] of Object.entries(expected)) {
      const html = site.get(monthPath(month)) ?? '';
      const target = (to?: string) => (to ? [`../../../archive/${to}/`] : []);
      expect([...navLink(html, 'prev')], month).toEqual(target(prev));
      expect([...navLink(html, 'next')], month).toEqual(target(next));
      expect(html, month).toContain('<a href="../../../archive/">All months</a>');
    }
    const november = site.get(monthPath('2025/11')) ?? '';
    expect(november).toContain('<a href="../../../archive/2025/09/" rel="prev">← September 2025</a>');
    expect(november).toContain('<a href="../../../archive/2025/12/" rel="next">December 2025 →</a>');
  });

  it('gives each month page a title, a heading, a canonical URL and no script', () => {
    const november = site.get(monthPath('2025/11')) ?? '';
    expect(november).toMatch(/^<!doctype html>\n<html lang="en" dir="ltr">/);
    expect(november).toContain('<title>November 2025 · Harbor City Ledger</title>');
    expect(november).toContain('<h1>November 2025</h1>');
    expect(november).toContain('<link rel="canonical" href="https://news.example.com/archive/2025/11/">');
    expect(november).toContain('<header><a href="../../../">Harbor City Ledger</a></header>');
    for (const [path, html] of site)
      if (path.startsWith('archive/')) expect(findExecutableMarkup(html), path).toBeNull();
  });

  it('lists the months by year, newest first, with counts that add up to the total', () => {
    const index = site.get('archive/index.html') ?? '';
    expect(index).toContain('<h1>All stories</h1>');
    expect(index).toContain('8 stories, by the month they were published.');
    const rows = [
      ...index.matchAll(/<li><a href="(\d{4}\/\d{2})\/">([^<]+)<\/a> \((\d+) stor(?:y|ies)\)<\/li>/g),
    ];
    expect(rows.map((m) => [m[1], m[2], Number(m[3])])).toEqual([
      ['2026/01', 'January 2026', 2],
      ['2025/12', 'December 2025', 1],
      ['2025/11', 'November 2025', 3],
      ['2025/09', 'September 2025', 2],
    ]);
    expect(rows.reduce((sum, m) => sum + Number(m[3]), 0)).toBe(list.length);
    expect(index.indexOf('<h2>2026</h2>')).toBeLessThan(index.indexOf('<h2>2025</h2>'));
    expect(index).toContain('<a href="2025/12/">December 2025</a> (1 story)');
    expect(site.get('index.html')).toContain('<a href="archive/">All 8 stories</a>');
  });

  it("names months and formats counts in the site's language", () => {
    const base = list[0] as Item;
    const many = Array.from({ length: 1234 }, (_, n) => ({
      ...base,
      id: `${base.id}-${n}`,
      slug: `story-${n}`,
    }));
    const german = rendered(many, { ...options, site: siteInfo({ language: 'de' }) });
    // More than ARCHIVE_PAGE_SIZE (1,000): the month takes two pages (archive-pages.test.ts).
    expect(german.get('archive/index.html')).toContain(
      '<a href="2026/01/">Januar 2026</a> (1.234 Artikel, 2 Seiten)',
    );
    expect(german.get('archive/2026/01/index.html')).toContain('<h1>Januar 2026, Seite 1 von 2</h1>');
    expect(german.get('archive/2026/01/index.html')).toContain(
      '<p class="summary">Artikel 1–1.000 von 1.234</p>',
    );
    expect(german.get('archive/2026/01/page/2/index.html')).toContain(
      '<p class="summary">Artikel 1.001–1.234 von 1.234</p>',
    );
    expect(german.get('index.html')).toContain('<a href="archive/">Alle 1.234 Artikel</a>');
    expect(rendered(many).get('archive/index.html')).toContain('(1,234 stories, 2 pages)');
    const single = rendered(many.slice(0, 999), { ...options, site: siteInfo({ language: 'de' }) });
    expect(single.get('archive/index.html')).toContain('<a href="2026/01/">Januar 2026</a> (999 Artikel)');
    expect(single.get('archive/2026/01/index.html')).toContain('<h1>Januar 2026</h1>');
  });

  it('is byte-identical for the same input, with or without a memo', () => {
    expectArchiveStable(items, options);
  });

  it("re-keys only a retitled story's month page, not the index or another month", () => {
    const before = plan(items());
    const after = plan(
      items((item) => (item.title === 'Nov middle' ? { ...item, title: 'Nov, retitled' } : item)),
    );
    const changed = [...before.keys()].filter(
      (path) => path.startsWith('archive/') && after.get(path)?.key !== before.get(path)?.key,
    );
    expect(changed).toEqual([monthPath('2025/11')]);
    expect(after.get(monthPath('2025/11'))?.render()).toContain('Nov, retitled');
  });

  it("re-keys a new story's month page and the index, not the other months", () => {
    const before = plan(items());
    const extra = sampleItems([
      ...Object.entries(DATES).map(([title, published]) => article({ title, published })),
      article({ title: 'Nov late', published: '2025-11-28T12:00:00Z' }),
    ]);
    const after = plan(extra);
    const changed = [...after.keys()].filter(
      (path) => path.startsWith('archive/') && after.get(path)?.key !== before.get(path)?.key,
    );
    expect(changed.sort()).toEqual(['archive/index.html', monthPath('2025/11')].sort());
    expect(after.get('archive/index.html')?.render()).toContain(
      '<a href="2025/11/">November 2025</a> (4 stories)',
    );
  });

  it('is not written while the front page lists every story', () => {
    const small = plan(items(), { ...options, feedLimit: 8 });
    expect([...small.keys()].filter((path) => path.startsWith('archive/'))).toEqual([]);
    expect(small.get('index.html')?.render()).not.toContain('href="archive/"');
  });
});
