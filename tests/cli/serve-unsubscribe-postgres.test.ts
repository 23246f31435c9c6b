import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe } from '../../src/cli/commands/serve.ts';
import { createContext } from '../../src/cli/context.ts';
import type { PreviewServer } from '../../src/cli/serve/server.ts';
import { unsubscribeEndpoint, unsubscribeToken } from '../../src/deliver/index.ts';
import { openState } from '../../src/state/index.ts';
import { type DeliveryStore, postgresStore } from '../../src/state/store/index.ts';
import { listSubscribers } from '../../src/state/subscribers.ts';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/temp.ts';

// Senders on PostgreSQL mail from the shared database: an unsubscribe that `serve` wrote only to
// the local SQLite file would leave them mailing the person who asked to stop.

const SECRET = 'serve-unsubscribe-postgres-secret';
const NOW = '2026-11-24T12:00:00.000Z';
const opened: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

describe.skipIf(!postgresAvailable())('serve with BROADSHEET_DATABASE_URL', () => {
  it('unsubscribes in the shared database on POST, and changes nothing on GET', async () => {
    const url = await freshDatabase('serve-unsubscribe');
    const store: DeliveryStore = await postgresStore(url);
    opened.push(store);
    const added = await store.addSubscriber({ email: 'ann@example.org' }, NOW);
    if (!added.added) throw new Error('not added');
    const ann = added.subscriber;

    const dir = tempDir('broadsheet-serve-unsubscribe-pg-');
    mkdirSync(join(dir, 'articles'));
    writeFileSync(join(dir, 'articles', 'story.txt'), 'A Story\n\nIn This Article\nBody.\n');
    const config = join(dir, 'broadsheet.config.json');
    writeFileSync(
      config,
      JSON.stringify({ site: { title: 'The Ledger', baseUrl: 'https://ledger.example/' } }),
    );
    const created = createContext({ config, quiet: true });
    const ctx = { ...created, env: { ...created.env, unsubscribeSecret: SECRET, databaseUrl: url } };
    const server: PreviewServer | null = await startServe(
      ctx,
      { config, quiet: true },
      { port: 0, watch: false },
    );
    if (!server) throw new Error('serve did not start');
    opened.push(server);

    const link = new URL(unsubscribeEndpoint(ctx.loaded.config).pathname, server.url);
    link.searchParams.set('t', unsubscribeToken(SECRET, ann.id, ann.email));
    const shown = await fetch(link);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('ann@example.org');
    expect((await store.getSubscriber(ann.id))?.status).toBe('active');

    const done = await fetch(link, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(done.status).toBe(200);
    expect((await store.getSubscriber(ann.id))?.status).toBe('unsubscribed');
    // The local file never had her: the change went where the senders read.
    const db = openState(join(dir, ctx.loaded.config.paths.state));
    try {
      expect(listSubscribers(db)).toEqual([]);
    } finally {
      db.close();
    }
  });
});
