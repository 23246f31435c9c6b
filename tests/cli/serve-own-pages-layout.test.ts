import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PreviewServer, startPreviewServer } from '../../src/cli/serve/server.ts';
import { configSchema } from '../../src/config/schema.ts';
import {
  BUNDLED_SITE_TEMPLATES,
  compileSiteTheme,
  readSiteTemplates,
  siteInfoFromConfig,
} from '../../src/render/index.ts';
import { tempDir } from '../helpers/temp.ts';

/*
 * serve's preview page and its own 403/404 (no 404.html in the build, a private path) are made
 * by the site's layout, so a publisher's templates/site/ restyles them too.
 */
let server: PreviewServer;

beforeAll(async () => {
  const base = tempDir('broadsheet-serve-layout-');
  const root = join(base, 'out');
  mkdirSync(join(root, 'newsletter', '2026-11-24'), { recursive: true });
  writeFileSync(join(root, 'rss.xml'), '<rss version="2.0"><channel></channel></rss>');
  writeFileSync(
    join(root, 'newsletter', '2026-11-24', 'email.html'),
    '<!doctype html><title>Ledger &amp; &lt;Co&gt;</title><p>Email</p>',
  );
  const templates = join(base, 'templates', 'site');
  mkdirSync(templates, { recursive: true });
  writeFileSync(join(templates, 'style.css'), 'body{background:papayawhip}\n');
  const theme = compileSiteTheme(readSiteTemplates([BUNDLED_SITE_TEMPLATES, templates], (path) => path));
  const site = siteInfoFromConfig(
    configSchema.parse({
      site: { title: 'Ledger <Co>', baseUrl: 'https://ledger.example/', language: 'de' },
    }),
    '',
  );
  server = await startPreviewServer({
    root,
    host: '127.0.0.1',
    port: 0,
    siteTitle: () => 'unused',
    shell: () => ({ site, theme }),
    rebuild: async () => false,
    watch: [],
    privatePaths: ['/outbox/'],
  });
});

afterAll(async () => {
  await server?.close();
});

async function get(path: string): Promise<{ status: number; body: string }> {
  const answer = await fetch(new URL(path, server.url));
  return { status: answer.status, body: await answer.text() };
}

describe("serve's own pages in the site's layout", () => {
  it('the preview page has the layout, the theme, the site name (escaped) and frames the email', async () => {
    const { status, body } = await get('/__preview');
    expect(status).toBe(200);
    expect(body).toMatch(/^<!doctype html>\n<html lang="de" dir="ltr">/);
    expect(body).toContain('<title>Preview · Ledger &lt;Co&gt;</title>');
    expect(body).toContain('<header><a href="/">Ledger &lt;Co&gt;</a></header>');
    expect(body).toContain('body{background:papayawhip}');
    // The live-reload script's nonce is added to the CSP as it is served.
    expect(body).toMatch(/frame-src (&#39;|')self(&#39;|')/);
    expect(body).toContain(
      '<iframe title="Newsletter at 375 px" src="/newsletter/2026-11-24/email.html?raw"',
    );
    expect(body).toContain('Subject: <strong>Ledger &amp; &lt;Co&gt;</strong>');
    expect(body).toContain('<footer><a href="/rss.xml">RSS</a>');
  });

  it('a missing file without a 404.html, and a private path, get the layout with the status', async () => {
    for (const path of ['/no-such-page/', '/outbox/2026-11-24.eml']) {
      const { status, body } = await get(path);
      expect(status, path).toBe(404);
      expect(body).toContain('<h1>404 Not found</h1>');
      expect(body).toContain('<header><a href="/">Ledger &lt;Co&gt;</a></header>');
      expect(body).toContain('body{background:papayawhip}');
    }
  });
});
