import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPreferencesToken, verifyUnsubscribeToken } from '../../src/deliver/index.ts';
import { postgresStore } from '../../src/state/store/index.ts';
import { startSmtpServer } from '../deliver/helpers.ts';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { FLEET_EDITION, fleetFolders, seedFleetState, startWorker } from '../helpers/send-fleet.ts';

// A PostgreSQL sender once built its messages with a copy of the SQLite sender's setup that
// lacked the "manage your subscription" link. This reads what such a sender actually delivered.

const SECRET = 'test-secret-for-many-senders';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!postgresAvailable())('a PostgreSQL sender’s delivered message', () => {
  it('carries signed List-Unsubscribe (one-click) and "manage your subscription" links that verify', async () => {
    const url = await freshDatabase('send-message');
    const store = await postgresStore(url);
    cleanups.push(() => store.close());
    await seedFleetState(store, 2);
    const server = await startSmtpServer();
    cleanups.push(server.close);
    const { dirs, cleanup } = fleetFolders(1, { maxConnections: 1, ratePerSecond: 100 });
    cleanups.push(cleanup);

    const run = await startWorker(dirs[0] as string, url, server.port).exited;
    expect(run.code, run.stderr).toBe(0);
    await server.idle();
    expect(server.messages.map((m) => m.to).sort()).toEqual(['reader1@example.org', 'reader2@example.org']);

    for (const { to, raw } of server.messages) {
      const subscriber = await store.findSubscriberByEmail(to);
      if (!subscriber) throw new Error(`${to} is not in the database`);
      const mail = await simpleParser(raw);

      const listHeader = String(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line);
      const unsubscribe = /<(https:\/\/ledger\.example\/unsubscribe\?t=[^>]+)>/.exec(listHeader)?.[1];
      expect(unsubscribe, listHeader).toBeDefined();
      const unsubscribeToken = new URL(unsubscribe as string).searchParams.get('t') as string;
      expect(verifyUnsubscribeToken(SECRET, unsubscribeToken, subscriber.id, subscriber.email)).toBe(true);
      expect(verifyUnsubscribeToken(SECRET, unsubscribeToken, subscriber.id + 1, subscriber.email)).toBe(
        false,
      );
      // mailparser folds List-* headers into one `list` object: read the header lines as sent.
      const post = mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line;
      expect(post).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

      // The body's "manage your subscription" link, in the HTML and the text part alike.
      const html = String(mail.html);
      const manage = /href="([^"]+)"[^>]*>Manage your subscription</.exec(html)?.[1]?.replace(/&amp;/g, '&');
      expect(manage, 'no manage link in the HTML').toMatch(/^https:\/\/ledger\.example\/preferences\?t=/);
      const preferencesToken = new URL(manage as string).searchParams.get('t') as string;
      expect(verifyPreferencesToken(SECRET, preferencesToken, subscriber.id, subscriber.email)).toBe(true);
      // Each link is its own kind: the unsubscribe token does not open the preferences page.
      expect(verifyPreferencesToken(SECRET, unsubscribeToken, subscriber.id, subscriber.email)).toBe(false);
      expect(mail.text).toContain(manage);
    }
    expect(await store.countDeliveries(FLEET_EDITION)).toMatchObject({ sent: 2, sending: 0 });
  });
});
