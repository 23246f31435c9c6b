import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOutputs } from '../../src/pipeline/output.ts';
import { buildSite, normalizeSite, siteOptions } from '../../src/pipeline/site.ts';
import { planSite } from '../../src/render/index.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { article, hostileArticle, sampleArticles } from '../render/fixtures/index.ts';
import { siteConfig, siteContext, tempProject } from './build-site-helpers.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.xsl': 'application/xslt+xml; charset=utf-8',
  '.json': 'application/feed+json; charset=utf-8',
  '.opml': 'text/x-opml; charset=utf-8',
};

/** The smallest static server that behaves like a web host: folders serve their index.html. */
function serveFolder(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) return void response.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void response.writeHead(404).end('not found');
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** What a crawl from the front page found: pages visited, and every same-origin link's status. */
interface Crawl {
  pages: number;
  seen: Set<string>;
  checked: Map<string, number>;
}

/**
 * Opens the front page and every page it links, and theirs, in one tab: each must load with no
 * script, no event handler, no sideways scroll at 375px, and every same-origin link must answer 200.
 */
async function crawl(browser: Browser, origin: string): Promise<Crawl> {
  const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const queue = [`${origin}/`];
  const seen = new Set<string>(queue);
  const checked = new Map<string, number>();
  let pages = 0;
  while (queue.length > 0) {
    const url = queue.shift() as string;
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(200);
    pages++;
    const facts = await page.evaluate(() => ({
      links: [...document.querySelectorAll('a[href], link[rel="alternate"][href]')].map(
        (a) => (a as HTMLAnchorElement | HTMLLinkElement).href,
      ),
      scripts: document.querySelectorAll('script').length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName} ${a.name}`),
      ),
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      lang: document.documentElement.lang,
    }));
    expect(facts.scripts, url).toBe(0);
    expect(facts.handlers, url).toEqual([]);
    expect(facts.overflow, `${url} scrolls sideways`).toBeLessThanOrEqual(0);
    expect(facts.lang, url).toBe('en');
    for (const link of facts.links) {
      const target = new URL(link);
      target.hash = '';
      if (target.origin !== origin) continue; // the publisher's own site is not ours to check
      const href = target.href;
      if (!checked.has(href)) checked.set(href, (await page.request.get(href)).status());
      if (!seen.has(href) && !/\.(xml|json|opml|xsl)$/.test(target.pathname)) {
        seen.add(href);
        queue.push(href);
      }
    }
  }
  const dead = [...checked].filter(([, status]) => status !== 200);
  expect(dead).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
  return { pages, seen, checked };
}

describe('the built site in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let origin: string;
  /** The same site with two stories an archive page, so two of its months take more than one. */
  let pagedServer: Server;
  let pagedOrigin: string;

  beforeAll(async () => {
    const port = 0;
    const many = () =>
      Array.from({ length: 6 }, (_, n) =>
        article({ title: `Archive story ${n}`, published: `2026-10-0${n + 1}T10:00:00Z` }),
      );
    // The pages link relatively, so the site's configured host does not matter to the crawl;
    // the feeds' stylesheet link is root-relative, so baseUrl's path must be "/".
    const config = siteConfig({ feeds: { limit: 5 } });
    const root = tempProject();
    const ctx = siteContext(root, '2026-11-24T15:00:00Z', config);
    const db = ctx.openState();
    const site = buildSite(ctx, db, [...sampleArticles(), hostileArticle(), ...many()]);
    db.close();
    writeOutputs(join(root, 'out'), site.files);
    server = await serveFolder(join(root, 'out'));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port || port}`;

    const pagedRoot = tempProject();
    const pagedCtx = siteContext(pagedRoot, '2026-11-24T15:00:00Z', config);
    const pagedDb = pagedCtx.openState();
    const items = normalizeSite(pagedCtx, pagedDb, [
      ...sampleArticles(),
      hostileArticle(),
      ...many(),
    ]).saveIdentities();
    pagedDb.close();
    writeOutputs(join(pagedRoot, 'out'), planSite(items, { ...siteOptions(pagedCtx), archivePageSize: 2 }));
    pagedServer = await serveFolder(join(pagedRoot, 'out'));
    pagedOrigin = `http://127.0.0.1:${(pagedServer.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
    await new Promise((done) => pagedServer?.close(done));
  });

  it('follows every link from index.html and finds no dead one, no script and no sideways scroll at 375px', async () => {
    const { pages, seen, checked } = await crawl(browser, origin);
    // Index, the archive's index and its three month pages (July 2025, October and November
    // 2026), all 10 article pages and the topic and author pages were reached by links alone.
    expect(pages).toBe(12 + 3 + 3 + 3);
    for (const month of ['2025/07', '2026/10', '2026/11'])
      expect(seen.has(`${origin}/archive/${month}/`), month).toBe(true);
    expect([...seen].filter((u) => u.includes('/page/'))).toEqual([]);
    expect([...seen].filter((u) => u.includes('/articles/'))).toHaveLength(10);
    expect([...checked.keys()].filter((u) => u.endsWith('.xml')).length).toBeGreaterThanOrEqual(10);
  });

  it('reaches every page of a month split into pages, and every story from them, by links alone', async () => {
    const { pages, seen } = await crawl(browser, pagedOrigin);
    // As above, and October's pages 2 and 3 (six stories, two a page) and July's page 2 (three).
    expect(pages).toBe(12 + 3 + 3 + 3 + 3);
    const archive = [...seen].filter((u) => u.includes('/archive/')).map((u) => u.slice(pagedOrigin.length));
    expect(archive.sort()).toEqual(
      [
        '/archive/',
        '/archive/2025/07/',
        '/archive/2025/07/page/2/',
        '/archive/2026/10/',
        '/archive/2026/10/page/2/',
        '/archive/2026/10/page/3/',
        '/archive/2026/11/',
      ].sort(),
    );
    expect([...seen].filter((u) => u.includes('/articles/'))).toHaveLength(10);
    // Page 2 of October: its heading, and "Next page" leads to page 3, "Previous page" to page 1.
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(`${pagedOrigin}/archive/2026/10/page/2/`);
    expect(await page.locator('h1').textContent()).toBe('October 2026, page 2 of 3');
    await page.locator('a[rel="next"]').first().click();
    await page.waitForURL(`${pagedOrigin}/archive/2026/10/page/3/`);
    expect(await page.locator('h1').textContent()).toBe('October 2026, page 3 of 3');
    expect(await page.locator('a[rel="next"]').count()).toBe(0);
    await page.locator('a[rel="prev"]').first().click();
    await page.waitForURL(`${pagedOrigin}/archive/2026/10/page/2/`);
    await page.locator('a[rel="prev"]').first().click();
    await page.waitForURL(`${pagedOrigin}/archive/2026/10/`);
    expect(await page.locator('h1').textContent()).toBe('October 2026, page 1 of 3');
    await page.close();
  });

  it('shows the hostile article as text in the page', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(`${origin}/articles/script-alert-1-script-tom-jerry-quoted-b-bold-b/`);
    expect(await page.locator('h1').textContent()).toBe(
      '<script>alert(1)</script> Tom & Jerry ]]> "quoted" <b>bold</b>',
    );
    expect(await page.locator('article b, article img, article iframe').count()).toBe(0);
    await page.close();
  });

  it('renders a feed opened in the browser as a page that explains subscribing', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    const feeds = [
      { path: 'rss.xml', story: 'Markets Rally After Rate Decision' },
      { path: 'atom.xml', story: 'Markets Rally After Rate Decision' },
      // The hostile title reads as text in the XSLT view too; nothing from it became markup.
      {
        path: 'topics/r-d-lab/rss.xml',
        story: '<script>alert(1)</script> Tom & Jerry ]]> "quoted" <b>bold</b>',
      },
      {
        path: 'topics/r-d-lab/atom.xml',
        story: '<script>alert(1)</script> Tom & Jerry ]]> "quoted" <b>bold</b>',
      },
    ];
    for (const { path, story } of feeds) {
      await page.goto(`${origin}/${path}`);
      const text = (await page.locator('body').textContent()) ?? '';
      expect(text, path).toContain('This is a web feed.');
      expect(text, path).toContain(`https://news.example.com/${path}`);
      expect(text, path).toContain(story);
      expect(await page.locator('body b, body script, body img').count(), path).toBe(0);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await page.close();
  });
});
