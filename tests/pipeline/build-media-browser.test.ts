import { cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline/run.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { siteConfig, siteContext, tempProject } from './build-site-helpers.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'media-site', 'articles');
// Plain http, as `broadsheet serve` on localhost: 'https:' alone in img-src would block these.
const ORIGIN = 'http://news.example.com';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.mp3': 'audio/mpeg',
};

/**
 * The built site opened in Chromium at its own origin (requests to it are answered from out/):
 * the page's Content-Security-Policy must let the site's own pictures load, at their measured size.
 */
describe('pictures on a built page, in Chromium', () => {
  let browser: Browser;
  let out: string;

  beforeAll(async () => {
    const root = tempProject();
    cpSync(FIXTURE, join(root, 'articles'), { recursive: true });
    const config = siteConfig({
      site: { title: 'Harbor Media Test', baseUrl: `${ORIGIN}/`, timeZone: 'UTC' },
    });
    await runPipeline(siteContext(root, '2026-11-24T20:00:00Z', config), { newsletter: false });
    out = join(root, 'out');
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it('loads the lead picture and the map under the page CSP, with no violation reported', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.route(`${ORIGIN}/**`, (route) => {
      let file = join(out, decodeURIComponent(new URL(route.request().url()).pathname));
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({
        status: 200,
        contentType: TYPES[extname(file)] ?? 'application/octet-stream',
        body: readFileSync(file),
      });
    });
    await page.goto(`${ORIGIN}/articles/the-harbour-at-dawn/`, { waitUntil: 'load' });
    const images = await page.evaluate(() =>
      [...document.images].map((img) => ({
        alt: img.alt,
        complete: img.complete,
        natural: [img.naturalWidth, img.naturalHeight],
        declared: [img.width, img.height],
      })),
    );
    expect(images).toEqual([
      {
        alt: 'Fishing boats moored in the harbour under a blue sky',
        complete: true,
        natural: [64, 40],
        declared: [64, 40],
      },
      { alt: 'Map of the ferry route across the bay', complete: true, natural: [32, 24], declared: [32, 24] },
    ]);
    expect(violations).toEqual([]);
    await page.close();
  });
});
