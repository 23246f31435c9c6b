import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PreviewServer, startPreviewServer } from '../../src/cli/serve/server.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { tempDir } from '../helpers/temp.ts';

let browser: Browser;
let server: PreviewServer;
let articles: string;
let builds = 0;

/**
 * A one-page build (the first line of each article as a headline), standing in for the real
 * pipeline so this test is about the loop itself: file change → watcher → rebuild → event → reload.
 */
async function buildFrontPage(from: string, out: string): Promise<boolean> {
  builds++;
  const titles = readdirSync(from)
    .sort()
    .map((name) => readFileSync(join(from, name), 'utf8').split('\n')[0]);
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'index.html'),
    `<!doctype html><html><body><h1>${titles.join(' / ')}</h1></body></html>`,
  );
  return true;
}

beforeAll(async () => {
  const base = tempDir('broadsheet-live-');
  articles = join(base, 'articles');
  const out = join(base, 'out');
  mkdirSync(articles);
  writeFileSync(join(articles, 'ferry.txt'), 'Ferry service resumes\n\nIn This Article\n');
  await buildFrontPage(articles, out);
  server = await startPreviewServer({
    root: out,
    host: '127.0.0.1',
    port: 0,
    siteTitle: () => 'Live',
    rebuild: () => buildFrontPage(articles, out),
    watch: [articles],
    debounceMs: 50,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('broadsheet serve: live reload', () => {
  it('reloads the open page by itself after an article changes', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    expect(await page.textContent('h1')).toBe('Ferry service resumes');
    // Wait until the page's event stream is connected, or the change could be missed.
    await expect.poll(() => server.liveReload.size, { timeout: 10_000 }).toBe(1);
    // A marker on window survives DOM patches but not a reload: proves the page really reloaded.
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1;
    });
    const buildsBefore = builds;

    writeFileSync(join(articles, 'ferry.txt'), 'Ferry service resumes after storm\n\nIn This Article\n');

    await expect
      .poll(() => page.textContent('h1'), { timeout: 15_000 })
      .toBe('Ferry service resumes after storm');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();
    expect(builds).toBeGreaterThan(buildsBefore);
    await page.close();
  });
});
