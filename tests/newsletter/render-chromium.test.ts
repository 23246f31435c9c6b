import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEditionEmail, renderEditionWebView } from '../../src/newsletter/index.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { makeEdition, makeItem, makeItems, shippedTemplates, testConfig } from './helpers.ts';

const ARTIFACTS = new URL('../artifacts/newsletter/', import.meta.url).pathname;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

/** An edition with the things that push layouts sideways: long unbroken words, long URLs, many stories. */
async function hardEdition(stories: number) {
  const config = testConfig({ feeds: { topics: [{ name: 'Economy' }] } });
  const items = makeItems(stories);
  items[0] = { ...makeItem(), title: `Supercalifragilisticexpialidocious${'x'.repeat(60)} headline` };
  items[1] = {
    ...makeItem(),
    topics: [{ slug: 'economy', name: 'Economy' }],
    highlights: [`See https://example.com/${'very-long-path-segment-'.repeat(8)} for details`],
    related: [{ title: 'R'.repeat(90), url: 'https://news.example.com/articles/r/', itemId: 'r' }],
  };
  const edition = makeEdition(items, config);
  return {
    email: (await renderEditionEmail(edition, config, shippedTemplates())).html,
    web: await renderEditionWebView(edition, config, shippedTemplates()),
  };
}

async function measure(html: string, width: number, shot: string, colorScheme: 'light' | 'dark' = 'light') {
  const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/*', (route) => route.abort());
  await page.setContent(html, { waitUntil: 'load' });
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  // Text can also spill out of a box that does not itself grow (clipped, not scrollable): check each line box.
  const spilled = await page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects())
        if (rect.right > window.innerWidth) out.push(node.textContent ?? '');
    }
    return out;
  });
  await page.screenshot({ path: `${ARTIFACTS}${shot}.png`, fullPage: false });
  await page.close();
  return { scrollWidth, errors, spilled };
}

describe('the email in real headless Chromium', () => {
  for (const stories of [20, 50]) {
    for (const width of [375, 600]) {
      it(`has no horizontal scroll at ${width}px with ${stories} stories`, async () => {
        const { email } = await hardEdition(stories);
        const { scrollWidth, errors, spilled } = await measure(email, width, `email-${stories}-${width}`);
        expect(scrollWidth).toBeLessThanOrEqual(width);
        expect(spilled).toEqual([]);
        expect(errors).toEqual([]);
      });
    }
  }

  it('switches to dark colours when the reader prefers a dark scheme', async () => {
    const { email } = await hardEdition(5);
    const page = await browser.newPage({ viewport: { width: 600, height: 800 }, colorScheme: 'dark' });
    await page.setContent(email);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const text = await page.evaluate(() => getComputedStyle(document.querySelector('h3') as Element).color);
    await page.screenshot({ path: `${ARTIFACTS}email-dark-600.png` });
    await page.close();
    expect(background).toBe('rgb(15, 17, 21)');
    expect(text).toBe('rgb(230, 237, 243)');
  });

  it('web view has no horizontal scroll at 375px', async () => {
    const { web } = await hardEdition(20);
    const { scrollWidth, spilled } = await measure(web, 375, 'web-20-375');
    expect(scrollWidth).toBeLessThanOrEqual(375);
    expect(spilled).toEqual([]);
  });
});
