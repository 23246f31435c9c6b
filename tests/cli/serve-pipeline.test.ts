import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe } from '../../src/cli/commands/serve.ts';
import { createContext } from '../../src/cli/context.ts';
import { listEditions } from '../../src/cli/serve/preview.ts';
import type { PreviewServer } from '../../src/cli/serve/server.ts';
import { openState } from '../../src/state/db.ts';
import { listEditions as storedEditions } from '../../src/state/editions.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { tempDir } from '../helpers/temp.ts';

const repo = resolve(import.meta.dirname, '../..');
let browser: Browser;
let server: PreviewServer;
let article: string;
let dir: string;
let configFile: string;

function configText(title: string): string {
  return JSON.stringify({ site: { title }, paths: { templates: join(repo, 'templates') } });
}

/** The newsletter edition serve built, as the preview page frames it. */
async function editionHtml(): Promise<string> {
  const [edition] = await listEditions(join(dir, 'out'));
  if (!edition) return '';
  return (await fetch(new URL(`${edition.href.slice(1)}?raw`, server.url))).text();
}

beforeAll(async () => {
  dir = tempDir('broadsheet-serve-pipeline-');
  cpSync(join(repo, 'tests/docs/fixtures/articles'), join(dir, 'articles'), { recursive: true });
  article = join(dir, 'articles', 'ferry-ridership-climbs.txt');
  const config = join(dir, 'broadsheet.config.json');
  configFile = config;
  writeFileSync(config, configText('The Harbor City Ledger'));
  const ctx = createContext({ config, quiet: true });
  const started = await startServe(ctx, { config, quiet: true }, { port: 0, watch: true });
  if (!started) throw new Error('serve did not start');
  server = started;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('broadsheet serve with the real pipeline', () => {
  it('rebuilds and reloads the front page when an article file is edited', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    const headlines = () => page.locator('h2').allTextContents();
    expect(await headlines()).toContain('Ferry Ridership Climbs for a Third Straight Year');
    await expect.poll(() => server.liveReload.size, { timeout: 10_000 }).toBe(1);

    const text = readFileSync(article, 'utf8');
    writeFileSync(
      article,
      text.replace('Ferry Ridership Climbs for a Third Straight Year', 'Ferry Ridership Hits a Record'),
    );

    await expect.poll(headlines, { timeout: 20_000 }).toContain('Ferry Ridership Hits a Record');
    expect(await headlines()).not.toContain('Ferry Ridership Climbs for a Third Straight Year');
    await page.close();
  });

  it("shows the build's problems on the open page, and clears them once fixed", async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await expect.poll(() => server.liveReload.size, { timeout: 10_000 }).toBeGreaterThan(0);
    const strip = page.locator('#broadsheet-problems');
    expect(await strip.count()).toBe(0);

    const broken = join(dir, 'articles', 'scanner-output.txt');
    writeFileSync(broken, Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0, 7]));
    await expect
      .poll(() => strip.textContent().catch(() => ''), { timeout: 20_000 })
      .toMatch(/articles\/scanner-output\.txt:1: error: .*\[ingest\/binary\]/);

    rmSync(broken);
    await expect.poll(() => strip.count().catch(() => -1), { timeout: 20_000 }).toBe(0);
    await page.close();
  });

  it('previews without recording: the real state keeps no edition, and a config edit re-renders the edition', async () => {
    expect(await editionHtml()).toContain('The Harbor City Ledger');
    const real = openState(join(dir, '.broadsheet', 'state.db'));
    try {
      expect(storedEditions(real)).toEqual([]);
    } finally {
      real.close();
    }
    writeFileSync(configFile, configText('The Harbor City Gazette'));
    await expect.poll(editionHtml, { timeout: 20_000 }).toContain('The Harbor City Gazette');
  });

  it('serves what the build wrote: the RSS feed through its stylesheet and the newsletter preview', async () => {
    const rss = await fetch(new URL('rss.xml', server.url));
    expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(await rss.text()).toContain('<?xml-stylesheet');
    const page = await browser.newPage();
    await page.goto(new URL('rss.xml', server.url).toString());
    // The XSLT turned the feed into a page with links to the articles.
    expect(await page.locator('a').count()).toBeGreaterThan(3);
    await page.goto(new URL('__preview', server.url).toString());
    expect(await page.locator('aside a[href="/rss.xml"]').count()).toBe(1);
    await page.close();
  });
});
