import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe } from '../../src/cli/commands/serve.ts';
import { createContext } from '../../src/cli/context.ts';
import type { PreviewServer } from '../../src/cli/serve/server.ts';

let server: PreviewServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'broadsheet-serve-outbox-'));
  mkdirSync(join(dir, 'articles'));
  const config = join(dir, 'broadsheet.config.json');
  writeFileSync(config, JSON.stringify({ site: { title: 'The Harbor City Ledger' } }));
  const ctx = createContext({ config, quiet: true });
  const started = await startServe(ctx, { config, quiet: true }, { port: 0, watch: false });
  if (!started) throw new Error('serve did not start');
  server = started;
  await server.idle();
  // What `send` leaves in the default outbox (out/outbox): an address and a working unsubscribe link.
  mkdirSync(join(dir, 'out/outbox/2026-11-24'), { recursive: true });
  writeFileSync(
    join(dir, 'out/outbox/2026-11-24/000001-reader@example.com.eml'),
    'To: reader@example.com\r\n',
  );
});

afterAll(async () => {
  await server?.close();
});

describe('broadsheet serve and the outbox inside out/', () => {
  it('never serves outbox messages, however the path is spelled', async () => {
    const spellings = [
      'outbox/2026-11-24/000001-reader@example.com.eml',
      'outbox/2026-11-24/',
      'outbox/',
      'outbox',
      '%6Futbox/2026-11-24/000001-reader%40example.com.eml',
      'articles/%2E%2E/outbox/2026-11-24/000001-reader@example.com.eml',
      '/outbox/2026-11-24/000001-reader@example.com.eml',
    ];
    for (const path of spellings) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain('reader@example.com');
    }
  });

  it('still serves the site itself', async () => {
    const home = await fetch(server.url);
    expect(home.status).toBe(200);
    expect((await fetch(`${server.url}rss.xml`)).status).toBe(200);
  });
});
