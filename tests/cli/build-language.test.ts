import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnsubscribeHandler, unsubscribeToken } from '../../src/deliver/index.ts';
import { CATALOGUES, type Messages } from '../../src/render/index.ts';
import { addSubscribers, tempState } from '../deliver/helpers.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { tempDir } from '../helpers/temp.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'src/cli/bin.js');
/** 2026-11-24 12:00 UTC: the sample articles' last week is this build's newsletter edition. */
const SOURCE_DATE_EPOCH = '1795550400';

const de = CATALOGUES.de as Messages;
const en = CATALOGUES.en as Messages;

/**
 * The English catalogue's own words, each fixed piece of every message (the parts between `{slots}`),
 * kept when it has a word of four letters or more: what a page must not show on a German site.
 */
function englishChrome(): string[] {
  const pieces = new Set<string>();
  for (const value of Object.values(en)) {
    const forms = typeof value === 'string' ? [value] : Object.values(value as Record<string, string>);
    for (const form of forms)
      for (const piece of form.split(/\{\w+\}/)) {
        const text = piece.replace(/^[\s.,:;·()←→+?]+|[\s.,:;·()←→+?]+$/g, '');
        // Two words or more, or one capitalised word ("Related"): a lone "from" is any story's word too.
        if (/[A-Za-z]{4,}/.test(text) && (/\s/.test(text) || /^[A-Z]/.test(text))) pieces.add(text);
      }
  }
  return [...pieces];
}

/**
 * An English date as luxon or an RFC 822 pubDate writes it ("Nov 24, 2026", "November 24, 2026,
 * 4:00 PM", "Tue, 24 Nov 2026"): German shares some month names ("November"), never these shapes.
 */
const ENGLISH_MONTHS = /[A-Z][a-z]+\.? \d{1,2}, \d{4}|\b(AM|PM|GMT)\b|\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d/;

function serveFolder(root: string): Promise<Server> {
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.xml': 'application/xml; charset=utf-8',
    '.xsl': 'application/xslt+xml; charset=utf-8',
  };
  const server = createServer((request, response) => {
    let file = normalize(join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(root) || !existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** The chrome a reader sees: the text of the page, minus the stories' own (English) words. */
async function chromeText(page: Page, stories: string): Promise<string> {
  return page.evaluate((selector) => {
    const copy = document.body.cloneNode(true) as HTMLElement;
    for (const node of copy.querySelectorAll(selector)) node.remove();
    return copy.textContent;
  }, stories);
}

/** Story text is the publisher's, not ours: titles and summaries in lists, the body of a story. */
const SITE_STORIES = '.stories h2, .summary, article > h1, article > ul, article > p:not(.meta)';
/** In an edition: the stories' titles (links in headings and the brief list) and highlights. */
const EDITION_STORIES = 'h1 a, h3 a, li, .bs-summary';
/** In the feed view: each entry's title and summary. */
const FEED_STORIES = 'article h2, article p:not(.meta)';

describe('a German site', () => {
  let root: string;
  let out: string;
  let browser: Browser;
  let server: Server;
  let origin: string;
  const forbidden = englishChrome();

  beforeAll(async () => {
    root = tempDir('bs-german-');
    cpSync(join(REPO, 'articles'), join(root, 'articles'), { recursive: true });
    const config = JSON.parse(readFileSync(join(REPO, 'broadsheet.config.json'), 'utf8'));
    config.site = { ...config.site, language: 'de', timeZone: 'Europe/Berlin' };
    // A small limit: the older stories go to the archive, so its pages are built too.
    config.feeds.limit = 8;
    delete config.$schema;
    writeFileSync(join(root, 'broadsheet.config.json'), JSON.stringify(config));
    const env = { ...process.env, SOURCE_DATE_EPOCH, BROADSHEET_UNSUBSCRIBE_SECRET: 'german-site-secret' };
    execFileSync(process.execPath, [BIN, '-q', 'build'], { cwd: root, env });
    execFileSync(process.execPath, [BIN, '-q', 'send', '--test-to', 'leser@example.com'], { cwd: root, env });
    out = join(root, 'out');
    server = await serveFolder(out);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
  });

  const firstDir = (dir: string) => readdirSync(join(out, dir)).sort()[0] ?? '';

  it('shows no English chrome on any page type, and dir="ltr" with lang="de"', async () => {
    const paths = [
      '',
      'archive/',
      `archive/2026/${firstDir('archive/2026')}/`,
      `topics/${firstDir('topics')}/`,
      `authors/${firstDir('authors')}/`,
      'newsletter/',
      `newsletter/${readdirSync(join(out, 'newsletter')).find((name) => /^\d{4}-/.test(name))}/`,
      // A story with an analysis, related stories and a byline: every heading of a story page.
      'articles/bus-drivers-ratify-new-contract/',
    ];
    const page = await browser.newPage();
    for (const path of paths) {
      const response = await page.goto(`${origin}/${path}`);
      expect(response?.status(), path).toBe(200);
      expect(await page.getAttribute('html', 'lang'), path).toBe('de');
      expect(await page.getAttribute('html', 'dir'), path).toBe('ltr');
      const text = await chromeText(page, path.startsWith('newsletter/2') ? EDITION_STORIES : SITE_STORIES);
      for (const english of forbidden) expect(text, `${path}: "${english}"`).not.toContain(english);
      for (const time of await page.locator('time').allInnerTexts())
        expect(time, `${path}: a date`).not.toMatch(ENGLISH_MONTHS);
    }
    // The check can fail: the German words are where the English ones were.
    await page.goto(`${origin}/`);
    expect(await page.textContent('body')).toContain(de.subscribe);
    await page.goto(`${origin}/articles/bus-drivers-ratify-new-contract/`);
    const story = await page.textContent('body');
    expect(story).toContain(de.analysisHeading);
    expect(story).toMatch(/\d+\. (Okt|Nov)\. 2026/);
    await page.close();
  });

  it('shows the feed in a browser (feed.xsl) in German, months too', async () => {
    const page = await browser.newPage();
    for (const feed of ['rss.xml', 'atom.xml']) {
      await page.goto(`${origin}/${feed}`);
      const text = await chromeText(page, FEED_STORIES);
      expect(text, feed).toContain(de.thisIsAFeed);
      expect(text, feed).toMatch(/\d+\. (Oktober|November) 2026/);
      for (const english of forbidden) expect(text, `${feed}: "${english}"`).not.toContain(english);
      const dates = await page.locator('p.meta').allInnerTexts();
      expect(dates.length, feed).toBeGreaterThan(0);
      for (const date of dates) expect(date, feed).not.toMatch(ENGLISH_MONTHS);
    }
    await page.close();
  });

  it('sends an email whose HTML and text parts have no English chrome', async () => {
    const outbox = join(out, '..', 'outbox');
    const edition = readdirSync(outbox)[0] ?? '';
    const eml = readdirSync(join(outbox, edition)).find((name) => name.endsWith('.eml')) ?? '';
    const mail = await simpleParser(readFileSync(join(outbox, edition, eml)));
    const page = await browser.newPage();
    await page.setContent(String(mail.html));
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    const html = await chromeText(page, EDITION_STORIES);
    await page.close();
    expect(html).toContain(de.readMore);
    expect(html).toContain(de.unsubscribe);
    const chromeLines = String(mail.text)
      .split('\n')
      .filter((line) => !/^\s*(- |\* |\S+:\/\/)/.test(line));
    const text = chromeLines.join('\n');
    expect(text).toContain(`${de.readMore}:`);
    for (const english of forbidden) {
      expect(html, `email HTML: "${english}"`).not.toContain(english);
      expect(text, `email text: "${english}"`).not.toContain(english);
    }
    expect(String(mail.text)).not.toMatch(/\n {0,2}(Read more|Related|By |Unsubscribe)/);
  });

  it('answers the unsubscribe link with a German page', async () => {
    const state = tempState();
    try {
      const [reader] = addSubscribers(state.db, 1);
      if (!reader) throw new Error('no subscriber');
      const handle = createUnsubscribeHandler({
        db: state.db,
        secret: 'secret',
        path: '/unsubscribe',
        siteTitle: 'Hafenstadt-Anzeiger',
        language: 'de',
        now: () => '2026-11-24T12:00:00Z',
      });
      const http = createServer(async (req, res) => {
        if (!(await handle(req, res))) res.writeHead(404).end();
      });
      await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/unsubscribe`;
      const token = unsubscribeToken('secret', reader.id, reader.email);
      const page = await browser.newPage();
      const texts: string[] = [];
      await page.goto(`${base}?t=${encodeURIComponent(token)}`);
      texts.push((await page.textContent('body')) ?? '');
      expect(await page.getAttribute('html', 'lang')).toBe('de');
      await page.click('button');
      await page.waitForSelector(`text=${de.unsubscribed}`);
      texts.push((await page.textContent('body')) ?? '');
      await page.goto(`${base}?t=forged`);
      texts.push((await page.textContent('body')) ?? '');
      await page.close();
      await new Promise((done) => http.close(done));
      expect(texts[0]).toContain(de.unsubscribe);
      expect(texts[2]).toContain(de.invalidLink);
      for (const text of texts)
        for (const english of forbidden) expect(text, `unsubscribe: "${english}"`).not.toContain(english);
    } finally {
      state.cleanup();
    }
  }, 60_000);
});
