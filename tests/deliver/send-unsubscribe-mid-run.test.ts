import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport, sendEdition } from '../../src/deliver/index.ts';
import { openState } from '../../src/state/db.ts';
import { getDelivery } from '../../src/state/ledger.ts';
import { setSubscriberStatus } from '../../src/state/subscribers.ts';
import { addSubscribers, NOW, sendOptions, startSmtpServer, tempState } from './helpers.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a subscriber who unsubscribes while a send is running', () => {
  it('gets nothing after the unsubscribe is committed, though the run listed them at its start', async () => {
    const state = tempState();
    cleanups.push(state.cleanup);
    const subscribers = addSubscribers(state.db, 5);
    const leaver = subscribers[3];
    if (!leaver) throw new Error('fixture: 5 subscribers');
    // The unsubscribe page (`serve`) is another process with its own connection to the state file.
    const serve = openState(state.path);
    cleanups.push(() => {
      serve.close();
    });
    const server = await startSmtpServer({
      onMessage: (to) => {
        if (to === subscribers[0]?.email) setSubscriberStatus(serve, leaver.id, 'unsubscribed', NOW);
        return 'accept';
      },
    });
    cleanups.push(server.close);
    const transport = createSmtpTransport({ url: `smtp://127.0.0.1:${server.port}`, maxConnections: 1 });
    cleanups.push(() => transport.close());

    // `subscribers` was read before the run: the leaver is still `active` in it.
    const summary = await sendEdition(sendOptions(state.db, transport, subscribers, { retries: 0 }));

    expect(server.received.has(leaver.email)).toBe(false);
    expect(server.received.size).toBe(4);
    expect(summary.sent).toBe(4);
    expect(summary.skipped).toBe(1);
    expect(getDelivery(state.db, '2026-11-24', leaver.id)).toBeNull();
  });
});
