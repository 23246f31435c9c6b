import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivePage } from '../../src/newsletter/index.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { testConfig } from '../newsletter/helpers.ts';
import { renderSampleSite, sampleItems } from './fixtures/index.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ORIGIN = 'https://site.test';

interface Violation {
  id: string;
  nodes: { any: { message: string }[] }[];
}

/**
 * Every page type, and the feed's browser view (RSS through feed.xsl), checked by axe-core's
 * WCAG 2.1 A/AA rules in Chromium with the light and the dark colour scheme. The site is served
 * from memory at one origin (so the same-origin feed.xsl applies); CSP is bypassed only to
 * inject axe.
 */
describe('colour schemes', () => {
  // A small feed limit: the older stories go to the archive, so its pages exist too.
  const site = renderSampleSite(sampleItems(), { feedLimit: 2 });
  // The newsletter archive is made by the same layout (templates/site/newsletter-archive.liquid).
  site.set(
    'newsletter/index.html',
    archivePage(
      [
        {
          id: '2026-11-24',
          subject: 'Harbor City Ledger: Bridge budget approved',
          preheader: 'And two more stories',
          url: 'https://news.example.com/newsletter/2026-11-24/',
          since: '2026-11-17T00:00:00-05:00',
          until: '2026-11-24T00:00:00-05:00',
          storyCount: 3,
          createdAt: '2026-11-24T00:00:00-05:00',
        },
      ],
      testConfig({ site: { title: 'Harbor City Ledger' } }),
    ),
  );
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const pick = (pattern: RegExp) => [...site.keys()].find((path) => pattern.test(path)) ?? '';
  const pages = [
    'index.html',
    'archive/index.html',
    pick(/^archive\/\d{4}\/\d{2}\/index\.html$/),
    pick(/^topics\/[^/]+\/index\.html$/),
    pick(/^authors\/[^/]+\/index\.html$/),
    pick(/^articles\/[^/]+\/index\.html$/),
    'newsletter/index.html',
    'rss.xml',
  ];

  async function violations(path: string, colorScheme: 'light' | 'dark'): Promise<string[]> {
    const page = await browser.newPage({
      bypassCSP: true,
      colorScheme,
      viewport: { width: 375, height: 900 },
    });
    await page.route(`${ORIGIN}/**`, (route) => {
      const wanted = new URL(route.request().url()).pathname.slice(1);
      const body = site.get(wanted);
      const type = wanted.endsWith('.html')
        ? 'text/html'
        : wanted.endsWith('.xsl')
          ? 'application/xslt+xml'
          : 'application/xml';
      return body === undefined ? route.fulfill({ status: 404 }) : route.fulfill({ body, contentType: type });
    });
    await page.goto(`${ORIGIN}/${path}`);
    await page.addScriptTag({ content: axeSource });
    const found = await page.evaluate(() =>
      (
        globalThis as unknown as {
          axe: { run(context: unknown, o: unknown): Promise<{ violations: Violation[] }> };
        }
      ).axe.run(
        // Chromium's own banner over an XSLT page (its deprecation notice) is not ours to fix.
        { exclude: [['xslt-warning-banner']] },
        { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      ),
    );
    await page.close();
    return found.violations.map(
      (v) => `${v.id} on ${v.nodes.length} node(s): ${v.nodes[0]?.any[0]?.message ?? ''}`,
    );
  }

  it('has every page type in the sample', () => {
    for (const path of pages) expect(site.has(path), path).toBe(true);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`passes axe-core's WCAG 2.1 AA rules in ${colorScheme} mode on every page type and the feed view`, async () => {
      for (const path of pages)
        expect(await violations(path, colorScheme), `${colorScheme} ${path}`).toEqual([]);
    }, 300_000);
  }

  it('paints its own background in both schemes, not the browser canvas', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ colorScheme });
      await page.setContent(site.get('index.html') ?? '');
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.close();
      expect(background, colorScheme).toBe(
        colorScheme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(15, 17, 21)',
      );
    }
  });
});
