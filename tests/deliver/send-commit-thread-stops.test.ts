import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport, type Message, sendEdition, type Transport } from '../../src/deliver/index.ts';
import { deliveriesOf } from '../../src/state/ledger.ts';
import { startCommitThread } from '../../src/state/ledger-thread.ts';
import { addSubscribers, sendOptions, startSmtpServer, tempState } from './helpers.ts';

const EDITION = '2026-11-24';
const POOL = 3;
const SUBSCRIBERS = 60;
const STOP_AFTER = 15;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the ledger commit thread stops in the middle of a send', () => {
  it('stops the run with an error saying so, leaves at most one row in doubt per lane, and a second run sends nobody twice', async () => {
    const state = tempState();
    cleanups.push(state.cleanup);
    const server = await startSmtpServer({ delayMs: 5 });
    cleanups.push(server.close);
    const subscribers = addSubscribers(state.db, SUBSCRIBERS);
    const smtp = createSmtpTransport({ url: `smtp://127.0.0.1:${server.port}`, maxConnections: POOL });
    cleanups.push(() => smtp.close());

    const commits = startCommitThread(state.path);
    cleanups.push(() => commits.close());
    let handedOver = 0;
    // The thread ends at once, as a crash of it would, while messages are in flight.
    const stopping: Transport = {
      description: smtp.description,
      close: () => smtp.close(),
      async send(message: Message) {
        if (++handedOver === STOP_AFTER) void commits.thread.terminate();
        await smtp.send(message);
      },
    };
    const first = sendEdition(
      sendOptions(state.db, stopping, subscribers, { concurrency: POOL, retries: 0, commits }),
    );
    await expect(first).rejects.toThrow(/the ledger's commit thread stopped/);
    await server.idle();
    const afterFirst = [...server.received.values()].reduce((a, b) => a + b, 0);
    expect(afterFirst).toBeGreaterThanOrEqual(STOP_AFTER - 1);
    expect(afterFirst).toBeLessThan(SUBSCRIBERS);
    const inDoubt = [...deliveriesOf(state.db, EDITION).values()].filter((row) => row.state === 'sending');
    expect(inDoubt.length).toBeLessThanOrEqual(2 * POOL);

    const second = await sendEdition(
      sendOptions(state.db, smtp, subscribers, { concurrency: POOL, retries: 0 }),
    );
    await server.idle();
    expect(second.inDoubt.map((row) => row.subscriberId).sort()).toEqual(
      inDoubt.map((row) => row.subscriberId).sort(),
    );
    expect(second.sent + second.alreadySent + second.inDoubt.length).toBe(SUBSCRIBERS);
    // Nobody twice; everyone not in doubt exactly once.
    expect(Math.max(...server.received.values())).toBe(1);
    const ledger = deliveriesOf(state.db, EDITION);
    for (const subscriber of subscribers) {
      if (ledger.get(subscriber.id)?.state === 'sending') continue;
      expect(ledger.get(subscriber.id)?.state, subscriber.email).toBe('sent');
      expect(server.received.get(subscriber.email), subscriber.email).toBe(1);
    }
  });
});
