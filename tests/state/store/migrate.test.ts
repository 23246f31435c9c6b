import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { openState } from '../../../src/state/db.ts';
import { saveIdentities } from '../../../src/state/items.ts';
import { ensureLedgerTable, markSent } from '../../../src/state/ledger.ts';
import { countAttempts, recordPendingSignup } from '../../../src/state/signups.ts';
import { postgresStore } from '../../../src/state/store/index.ts';
import {
  addSubscriber,
  deleteSubscriber,
  getOrCreateLocalSecret,
  setSubscriberStatus,
} from '../../../src/state/subscribers.ts';
import { suppress } from '../../../src/state/suppression.ts';
import { harborConfig, sampleEdition, storeEdition } from '../../deliver/edition.ts';
import { freshDatabase, postgresAvailable } from '../../helpers/postgres.ts';
import { tempDir } from '../../helpers/temp.ts';

const BIN = fileURLToPath(new URL('../../../src/cli/bin.js', import.meta.url));
const NOW = '2026-11-24T12:00:00.000Z';
const LATER = '2026-12-01T12:00:00.000Z';
const run = promisify(execFile);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A SQLite state with a gap in the subscriber ids, a sent edition, a suppression and a secret. */
function sqliteState(): string {
  const dir = tempDir('broadsheet-migrate-');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'broadsheet.config.json'),
    JSON.stringify({
      site: { title: 'Ledger', baseUrl: 'https://ledger.example/' },
      paths: { state: 'state.db' },
    }),
  );
  const db = openState(join(dir, 'state.db'));
  storeEdition(db, sampleEdition(harborConfig()));
  for (const email of ['ann@example.org', 'gone@example.org', 'bob@example.org'])
    addSubscriber(db, { email, topics: ['transit'] }, NOW);
  deleteSubscriber(db, 2);
  ensureLedgerTable(db);
  db.prepare(
    `INSERT INTO deliveries (edition_id, subscriber_id, state, message_id, attempts, updated_at)
     VALUES ('2026-11-24', 3, 'sending', '<m3@list>', 1, ?)`,
  ).run(NOW);
  markSent(db, '2026-11-24', 3, NOW);
  suppress(db, 'complainer@example.org', 'complained', NOW);
  getOrCreateLocalSecret(db, () => 'kept-secret');
  // serve's pending signups: one waiting for its confirmation, and two rate-limit counts.
  recordPendingSignup(db, { email: 'pending@example.org', topics: ['transit'] }, NOW, LATER);
  countAttempts(db, [{ key: 'client:abc', since: NOW }], NOW, NOW);
  countAttempts(db, [{ key: 'client:abc', since: NOW }], NOW, NOW);
  saveIdentities(db, [
    {
      id: 'itm-abc',
      slug: 'council-approves-bike-lanes',
      firstSeen: NOW,
      titleKey: 'council approves bike lanes',
      canonicalUrl: null,
      sourceFile: 'articles/a.txt',
      contentHash: 'h1',
      editedAt: null,
      textSample: 'Council approves',
    },
  ] as Parameters<typeof saveIdentities>[1]);
  db.close();
  return dir;
}

async function migrate(dir: string, url: string) {
  return run(process.execPath, [
    BIN,
    '-c',
    join(dir, 'broadsheet.config.json'),
    'state',
    'migrate',
    '--to',
    url,
  ]);
}

describe.skipIf(!postgresAvailable())('broadsheet state migrate --to postgres://…', () => {
  it('copies the SQLite state with ids intact, and a second run copies nothing and changes nothing', async () => {
    const dir = sqliteState();
    const url = await freshDatabase('migrate');
    const first = await migrate(dir, url);
    expect(first.stderr).toContain('subscribers: 2 copied (2 in SQLite)');
    expect(first.stderr).toContain('item_identities: 1 copied');

    const store = await postgresStore(url);
    cleanups.push(() => store.close());
    expect((await store.findSubscriberByEmail('bob@example.org'))?.id).toBe(3);
    expect((await store.getDelivery('2026-11-24', 3))?.state).toBe('sent');
    expect(await store.suppressionOf('complainer@example.org')).toBe('complained');
    expect(await store.readSecret()).toBe('kept-secret');
    expect((await store.getStoredEdition('latest'))?.edition.id).toBe('2026-11-24');
    // The pending signup keeps its id (its mailed link names it) and confirms in PostgreSQL.
    expect(first.stderr).toContain('signups: 1 copied');
    expect(first.stderr).toContain('signup_attempts: 2 copied');
    const pending = await store.pendingSignup(1, NOW);
    expect(pending).toMatchObject({ email: 'pending@example.org', topics: ['transit'] });

    const second = await migrate(dir, url);
    expect(second.stderr).toContain('PostgreSQL already had everything');
    expect(await store.countSubscribers()).toBe(2);
    // The counts were not copied twice: this request is the third from that client.
    expect(await store.countAttempts([{ key: 'client:abc', since: NOW }], NOW, NOW)).toEqual([3]);
    const confirmed = await store.confirmSignup(pending as NonNullable<typeof pending>, NOW);
    expect(confirmed).toMatchObject({ email: 'pending@example.org', status: 'active', topics: ['transit'] });
    expect(await store.pendingSignup(1, NOW)).toBeNull();
    // The next id PostgreSQL gives out is past every id SQLite gave out.
    const added = await store.addSubscriber({ email: 'new@example.org' }, NOW);
    expect(added.added && added.subscriber.id).toBe(5);
  });

  it('stops mail in PostgreSQL for a reader who unsubscribed in SQLite since, and never restarts it', async () => {
    const dir = sqliteState();
    const url = await freshDatabase('migrate-stops');
    await migrate(dir, url);
    const store = await postgresStore(url);
    cleanups.push(() => store.close());
    // After the first copy: Ann unsubscribes through the SQLite side (serve's link, the CLI);
    // PostgreSQL's senders saw Bob bounce.
    const db = openState(join(dir, 'state.db'));
    setSubscriberStatus(db, 1, 'unsubscribed', NOW);
    db.close();
    await store.setSubscriberStatus(3, 'bounced', NOW);

    const again = await migrate(dir, url);
    expect(again.stderr).toContain('subscribers: 0 copied (2 in SQLite), 1 stopped mail since');
    expect((await store.findSubscriberByEmail('ann@example.org'))?.status).toBe('unsubscribed');
    // SQLite still says Bob is active: an older row never makes a bounced reader active again.
    expect((await store.findSubscriberByEmail('bob@example.org'))?.status).toBe('bounced');
  });
});
