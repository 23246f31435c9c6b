import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { openState } from '../../src/state/index.ts';
import { type DeliveryStore, postgresStore } from '../../src/state/store/index.ts';
import { listSubscribers } from '../../src/state/subscribers.ts';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { servePublication } from './serve-publication.ts';

// With BROADSHEET_DATABASE_URL the senders read the list in PostgreSQL: a reader who signs up
// through `serve` must land there, not in the local SQLite file nobody sends from.

const SECRET = 'serve-signup-postgres-secret';
const opened: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

describe.skipIf(!postgresAvailable())('serve with BROADSHEET_DATABASE_URL: signup', () => {
  it('keeps the pending signup in PostgreSQL and confirms the reader there', async () => {
    const url = await freshDatabase('serve-signup');
    const store: DeliveryStore = await postgresStore(url);
    opened.push(store);
    const { dir, ctx, server } = await servePublication(
      'serve-signup-pg',
      { signup: { form: true } },
      { unsubscribeSecret: SECRET, databaseUrl: url, smtpUrl: null },
    );
    opened.push(server);

    const answer = await fetch(new URL('/subscribe', server.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'ann@example.org', website: '' }).toString(),
    });
    expect(answer.status).toBe(200);
    const pending = await store.pendingSignup(1, '2026-01-01T00:00:00.000Z');
    expect(pending?.email).toBe('ann@example.org');
    expect(await store.findSubscriberByEmail('ann@example.org')).toBeNull();

    // The confirmation mail goes out after the answer: wait for the outbox file.
    const folder = join(dir, 'outbox', 'signups');
    for (let waited = 0; waited < 30_000 && readdirSafe(folder).length === 0; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const [file] = readdirSafe(folder);
    const mail = await simpleParser(readFileSync(join(folder, file as string)));
    const link = /https:\/\/ledger\.example\/subscribe\?t=[\w.%-]+/.exec(mail.text ?? '')?.[0] as string;
    const confirmed = await fetch(link.replace('https://ledger.example/', server.url), { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect((await store.findSubscriberByEmail('ann@example.org'))?.status).toBe('active');
    // The local file never had her.
    const db = openState(join(dir, ctx.loaded.config.paths.state));
    try {
      expect(listSubscribers(db)).toEqual([]);
    } finally {
      db.close();
    }
  });
});

function readdirSafe(folder: string): string[] {
  try {
    return readdirSync(folder).filter((name) => name.endsWith('.eml'));
  } catch {
    return [];
  }
}
