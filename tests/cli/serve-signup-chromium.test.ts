import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSend } from '../../src/cli/commands/send.ts';
import { startServe } from '../../src/cli/commands/serve.ts';
import { type Context, createContext } from '../../src/cli/context.ts';
import type { PreviewServer } from '../../src/cli/serve/server.ts';
import { findSubscriberByEmail } from '../../src/state/subscribers.ts';
import { harborConfig, sampleEdition, storeEdition } from '../deliver/edition.ts';
import { startSmtpServer, type TestSmtpServer } from '../deliver/helpers.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { tempDir } from '../helpers/temp.ts';

const SECRET = 'serve-signup-secret';
const READER = 'reader@example.org';
const ARTICLES = new URL('../../articles/', import.meta.url).pathname;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let dir: string;
let ctx: Context;
let server: PreviewServer;
let smtp: TestSmtpServer;
let browser: Browser;

beforeAll(async () => {
  dir = tempDir('broadsheet-serve-signup-');
  mkdirSync(join(dir, 'articles'));
  for (const name of ['2026-10-06-heat-pump-rebates.md', '2026-10-03-tram-extension-vote.txt'])
    copyFileSync(join(ARTICLES, name), join(dir, 'articles', name));
  const config = join(dir, 'broadsheet.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      site: { title: 'The Harbor City Ledger', baseUrl: 'https://ledger.example/' },
      feeds: {
        topics: [
          { name: 'Transit', slug: 'transit', tags: ['transit'] },
          { name: 'Climate', slug: 'climate', tags: ['climate'] },
        ],
      },
      delivery: { from: { name: 'The Harbor City Ledger', email: 'newsletter@ledger.example' }, retries: 0 },
      signup: { form: true },
    }),
  );
  smtp = await startSmtpServer();
  const created = createContext({ config, quiet: true });
  ctx = {
    ...created,
    env: { ...created.env, unsubscribeSecret: SECRET, smtpUrl: `smtp://127.0.0.1:${smtp.port}` },
  };
  const started = await startServe(ctx, { config, quiet: true }, { port: 0, watch: false });
  if (!started) throw new Error('serve did not start');
  server = started;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

function subscriber() {
  const db = ctx.openState();
  try {
    return findSubscriberByEmail(db, READER);
  } finally {
    db.close();
  }
}

/** The served site stands in for https://ledger.example/. */
const local = (url: string) => url.replace('https://ledger.example/', server.url);

describe('signup on a built page, through confirmation, to the first edition', () => {
  it('works in Chromium with no JavaScript and under the page CSP', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.url);
    expect(
      await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'),
    ).toContain("form-action 'self'");
    await page.fill('#signup-email', READER);
    await page.check('input[name="topic"][value="climate"]');
    await Promise.all([
      page.waitForURL(`${server.url}subscribe`),
      page.click('.signup button[type="submit"]'),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Check your inbox');
    expect(subscriber()).toBeNull();

    await expect.poll(() => smtp.messages.length, { timeout: 60_000 }).toBe(1);
    const confirmation = await simpleParser(smtp.messages[0]?.raw ?? Buffer.alloc(0));
    expect(confirmation.subject).toBe('Confirm your subscription to The Harbor City Ledger');
    expect(smtp.messages[0]?.to).toBe(READER);
    const link = /https:\/\/ledger\.example\/subscribe\?t=\S+/.exec(confirmation.text ?? '')?.[0] ?? '';
    const token = new URL(link).searchParams.get('t') ?? '';
    expect(token).toMatch(/^\d+\.[\w-]{43}$/);
    // The HTML part's button carries the same link (Handlebars writes its "=" as &#x3D;).
    expect(confirmation.html).toContain(token);

    // A scanner's GET (and the reader's) shows a button and confirms nobody.
    await page.goto(local(link));
    expect(await page.locator('h1').textContent()).toBe('Confirm your subscription');
    expect(subscriber()).toBeNull();

    await Promise.all([page.waitForLoadState(), page.click('button[type="submit"]')]);
    await expect.poll(() => page.locator('h1').textContent()).toBe('You are subscribed');
    expect(subscriber()).toMatchObject({ status: 'active', topics: ['climate'] });
    await context.close();

    // The first edition goes to the new reader, with a working preferences link.
    const db = ctx.openState();
    try {
      storeEdition(db, sampleEdition(harborConfig()));
      expect(await runSend(ctx, db, { edition: 'latest' })).toBe(0);
    } finally {
      db.close();
    }
    expect(smtp.received.get(READER)).toBe(2);
    const edition = await simpleParser(smtp.messages[1]?.raw ?? Buffer.alloc(0));
    expect(edition.subject).toContain('The Harbor City Ledger');
    expect(edition.text).toContain('Flood barriers delayed again');
    const preferences = /https:\/\/ledger\.example\/preferences\?t=\S+/.exec(edition.text ?? '')?.[0] ?? '';
    expect(preferences).not.toBe('');
    const response = await fetch(local(preferences));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`Settings for <strong>${READER}</strong>.`);
  }, 180_000);

  it('the front page and a story page with the form pass axe-core (WCAG 2.1 AA)', async () => {
    // CSP is bypassed only to inject axe; the test above submits under it.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    for (const path of ['', 'articles/city-offers-rebates-for-heat-pumps/', 'subscribe']) {
      await page.goto(`${server.url}${path}`);
      expect(await page.locator('input[name="email"]').count(), path).toBe(1);
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(() =>
        (
          globalThis as unknown as {
            axe: { run(context: unknown, o: unknown): Promise<{ violations: { id: string }[] }> };
          }
        ).axe
          .run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] })
          .then((result) => result.violations.map((v) => v.id)),
      );
      expect(violations, path).toEqual([]);
    }
    await context.close();
  }, 120_000);
});
