import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFeedStylesheet } from '../../src/render/xslt.ts';
import { launchChromium } from '../helpers/chromium.ts';

/** An RSS and an Atom feed with one story each at `utc`, as our feeds write dates (GMT, Z). */
function feeds(utc: string): Record<string, string> {
  const pubDate = new Date(utc).toUTCString();
  const pi = '<?xml version="1.0" encoding="utf-8"?><?xml-stylesheet href="/feed.xsl" type="text/xsl"?>';
  return {
    'rss.xml': `${pi}<rss version="2.0"><channel><title>Ledger</title><link>https://x.test/</link><description>d</description><item><title>Story</title><link>https://x.test/s/</link><pubDate>${pubDate}</pubDate></item></channel></rss>`,
    'atom.xml': `${pi}<feed xmlns="http://www.w3.org/2005/Atom"><title>Ledger</title><id>https://x.test/</id><updated>${utc}</updated><entry><title>Story</title><id>https://x.test/s/</id><link href="https://x.test/s/"/><updated>${utc}</updated><published>${utc}</published></entry></feed>`,
  };
}

let browser: Browser;
let server: Server;
let origin: string;
let files: Record<string, string> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = files[(req.url ?? '/').slice(1)];
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/xml; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// A story's day in the feed's browser view is the day the site shows, in the site's zone.
describe('the feed in a browser shows dates in the site time zone', () => {
  it.each([
    ['America/New_York', '2026-11-24T03:30:00Z', 'November 23, 2026'],
    ['America/New_York', '2027-01-01T04:59:00Z', 'December 31, 2026'],
    ['America/New_York', '2026-07-01T03:59:00Z', 'June 30, 2026'],
    ['America/New_York', '2026-07-01T04:00:00Z', 'July 1, 2026'],
    // Daylight time until 06:00 UTC that night: 00:30 EDT, not 23:30 EST the day before.
    ['America/New_York', '2026-11-01T04:30:00Z', 'November 1, 2026'],
    ['Asia/Tokyo', '2028-02-28T15:00:00Z', 'February 29, 2028'],
    ['Asia/Tokyo', '2026-12-31T15:00:00Z', 'January 1, 2027'],
    ['UTC', '2026-11-24T03:30:00Z', 'November 24, 2026'],
  ])('%s, %s: %s', async (timeZone, utc, shown) => {
    files = { 'feed.xsl': renderFeedStylesheet('en', timeZone), ...feeds(utc) };
    const page = await browser.newPage();
    try {
      for (const feed of ['rss.xml', 'atom.xml']) {
        await page.goto(`${origin}/${feed}`);
        expect(await page.locator('p.meta').allInnerTexts(), feed).toEqual([shown]);
      }
    } finally {
      await page.close();
    }
  });
});
