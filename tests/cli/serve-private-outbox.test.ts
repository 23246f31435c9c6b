import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe } from '../../src/cli/commands/serve.ts';
import { createContext } from '../../src/cli/context.ts';
import type { PreviewServer } from '../../src/cli/serve/server.ts';
import { loadConfig } from '../../src/config/load.ts';
import { tempDir } from '../helpers/temp.ts';

// The outbox holds subscribers' addresses and working unsubscribe links: it lives outside out/
// (which a deploy publishes whole), and serve answers nothing hidden in out/.

let server: PreviewServer;
let dir: string;

beforeAll(async () => {
  dir = tempDir('broadsheet-serve-outbox-');
  mkdirSync(join(dir, 'articles'));
  writeFileSync(
    join(dir, 'articles/ferry.md'),
    '---\ntitle: Harbor ferry adds a night crossing\nauthor: Ann Lee\ndate: 2026-11-20T09:00:00-05:00\n---\n\nThe ferry now runs until midnight.\n',
  );
  const config = join(dir, 'broadsheet.config.json');
  writeFileSync(config, JSON.stringify({ site: { title: 'The Harbor City Ledger' } }));
  const ctx = createContext({ config, quiet: true });
  const started = await startServe(ctx, { config, quiet: true }, { port: 0, watch: false });
  if (!started) throw new Error('serve did not start');
  server = started;
  await server.idle();
  // What `send` leaves in the default outbox: an address and a working unsubscribe link.
  mkdirSync(join(dir, 'outbox/2026-11-24'), { recursive: true });
  writeFileSync(join(dir, 'outbox/2026-11-24/000001-reader@example.com.eml'), 'To: reader@example.com\r\n');
});

afterAll(async () => {
  await server?.close();
});

describe('the outbox and hidden files stay private', () => {
  it('the default outbox is outside out/, so no spelling of a URL reaches it', async () => {
    expect(loadConfig(null, dir).config.delivery.outbox).toBe('outbox');
    const spellings = [
      'outbox/2026-11-24/000001-reader@example.com.eml',
      'outbox/',
      '%6Futbox/2026-11-24/000001-reader%40example.com.eml',
      'articles/%2E%2E/%2E%2E/outbox/2026-11-24/000001-reader@example.com.eml',
      '..%2Foutbox/2026-11-24/000001-reader@example.com.eml',
    ];
    for (const path of spellings) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(await response.text(), path).not.toContain('reader@example.com');
    }
  });

  it('a config that puts the outbox inside out/ is refused, naming the key and why', () => {
    const config = join(dir, 'inside.config.json');
    writeFileSync(config, JSON.stringify({ delivery: { outbox: 'out/outbox' } }));
    expect(() => loadConfig(config, dir)).toThrow(
      /"delivery.outbox" \("out\/outbox"\) is inside "paths.out"/,
    );
    writeFileSync(config, JSON.stringify({ paths: { out: 'public' }, delivery: { outbox: './public' } }));
    expect(() => loadConfig(config, dir)).toThrow(/inside "paths.out"/);
    writeFileSync(config, JSON.stringify({ paths: { out: 'public' }, delivery: { outbox: 'public-mail' } }));
    expect(loadConfig(config, dir).config.delivery.outbox).toBe('public-mail');
  });

  it('answers no hidden file of out/: a manifest, a temp file, a dot-folder', async () => {
    // Planted by hand in the live build: a build never writes such files there.
    writeFileSync(join(dir, 'out/.broadsheet-manifest.json'), '{"secret": 1}');
    writeFileSync(join(dir, 'out/.abc123-1.tmp'), 'half a page');
    mkdirSync(join(dir, 'out/.git'), { recursive: true });
    writeFileSync(join(dir, 'out/.git/config'), '[core]');
    for (const path of ['.broadsheet-manifest.json', '.abc123-1.tmp', '.git/config', '%2Egit/config']) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
    }
  });

  it('still serves the site itself', async () => {
    const home = await fetch(server.url);
    expect(home.status).toBe(200);
    expect((await fetch(`${server.url}rss.xml`)).status).toBe(200);
  });
});
