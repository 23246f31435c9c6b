import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { unsubscribeEndpoint, unsubscribeToken } from '../../src/deliver/index.ts';
import { openState } from '../../src/state/index.ts';
import { type DeliveryStore, postgresStore } from '../../src/state/store/index.ts';
import { listSubscribers } from '../../src/state/subscribers.ts';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { servePublication } from './serve-publication.ts';

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

    const { dir, ctx, server } = await servePublication(
      'serve-unsubscribe-pg',
      {},
      {
        unsubscribeSecret: SECRET,
        databaseUrl: url,
      },
    );
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
