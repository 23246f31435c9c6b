import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/cli/build/site.ts';
import { writeOutputs } from '../../src/cli/output.ts';
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

describe('the built site in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    const root = tempProject();
    const port = 0;
    const many = Array.from({ length: 6 }, (_, n) =>
      article({ title: `Archive story ${n}`, published: `2026-10-0${n + 1}T10:00:00Z` }),
    );
    // The pages link relatively, so the site's configured host does not matter to the crawl;
    // the feeds' stylesheet link is root-relative, so baseUrl's path must be "/".
    const ctx = siteContext(root, '2026-11-24T15:00:00Z', siteConfig({ feeds: { limit: 5 } }));
    const db = ctx.openState();
    const site = buildSite(ctx, db, [...sampleArticles(), hostileArticle(), ...many]);
    db.close();
    writeOutputs(join(root, 'out'), site.files);
    server = await serveFolder(join(root, 'out'));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port || port}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
  });

  it('follows every link from index.html and finds no dead one, no script and no sideways scroll at 375px', async () => {
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
    // Index, the archive's index and its three month pages (July 2025, October and November
    // 2026), all 10 article pages and the topic and author pages were reached by links alone.
    expect(pages).toBe(12 + 3 + 3 + 3);
    for (const month of ['2025/07', '2026/10', '2026/11'])
      expect(seen.has(`${origin}/archive/${month}/`), month).toBe(true);
    expect([...seen].filter((u) => u.includes('/articles/'))).toHaveLength(10);
    expect([...checked.keys()].filter((u) => u.endsWith('.xml')).length).toBeGreaterThanOrEqual(10);
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
