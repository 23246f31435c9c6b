import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport, type Message, sendEdition, type Transport } from '../../src/deliver/index.ts';
import { openState } from '../../src/state/db.ts';
import { deliveriesOf } from '../../src/state/ledger.ts';
import { type LedgerCommits, startCommitThread } from '../../src/state/ledger-thread.ts';
import { addSubscribers, sendOptions, startSmtpServer, tempState } from './helpers.ts';

const EDITION = '2026-11-24';
const POOL = 3;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// The default starts on the sender's own connection and moves to the commit thread once it is
// open; the thread alone is checked as well, from the first claim on.
const ways: [string, ((path: string) => LedgerCommits) | null][] = [
  ['by default', null],
  ['all on the commit thread', startCommitThread],
];

describe('sendEdition commits claims in groups', () => {
  it.each(ways)(
    'has every row committed `sending` before its message leaves, and never more in doubt than lanes (%s)',
    async (_, thread) => {
      const state = tempState();
      cleanups.push(state.cleanup);
      // A slow server, so lanes queue up and claims are committed several at a time.
      const server = await startSmtpServer({ delayMs: 10 });
      cleanups.push(server.close);
      const subscribers = addSubscribers(state.db, 40);
      // A second connection sees only what was committed: what a crash at that instant would leave.
      const observer = openState(state.path);
      cleanups.push(() => {
        observer.close();
      });
      const smtp = createSmtpTransport({ url: `smtp://127.0.0.1:${server.port}`, maxConnections: POOL });
      cleanups.push(() => smtp.close());
      const seen: { committed: string | undefined; unsettled: number }[] = [];
      const watching: Transport = {
        description: smtp.description,
        close: () => smtp.close(),
        async send(message: Message) {
          const rows = [...deliveriesOf(observer, EDITION).values()];
          const id = Number(message.fileName.slice(0, 6));
          seen.push({
            committed: rows.find((row) => row.subscriberId === id)?.state,
            unsettled: rows.filter((row) => row.state === 'sending').length,
          });
          await smtp.send(message);
        },
      };

      const commits = thread?.(state.path);
      if (commits) cleanups.push(() => commits.close());
      const summary = await sendEdition(
        sendOptions(state.db, watching, subscribers, {
          concurrency: POOL,
          retries: 0,
          ...(commits ? { commits } : {}),
        }),
      );

      expect(summary.sent).toBe(40);
      expect(seen).toHaveLength(40);
      // The claim precedes the send, durably: each row was `sending` in the file when its message left.
      expect(seen.every((s) => s.committed === 'sending')).toBe(true);
      // At most one unsettled row per lane (two lanes per connection) at any hand-over.
      expect(Math.max(...seen.map((s) => s.unsettled))).toBeLessThanOrEqual(2 * POOL);
      // Nobody twice, and every `sent` is in the file once the run returns.
      expect([...server.received.values()].every((n) => n === 1)).toBe(true);
      expect([...deliveriesOf(observer, EDITION).values()].every((row) => row.state === 'sent')).toBe(true);
    },
  );
});
