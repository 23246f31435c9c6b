import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport, type SendEditionOptions, sendEdition } from '../../src/deliver/index.ts';
import { countDeliveries } from '../../src/state/ledger.ts';
import type { Subscriber } from '../../src/types.ts';
import { addSubscribers, sendOptions, startSmtpServer, type TestSmtpServer, tempState } from './helpers.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function options(
  state: ReturnType<typeof tempState>,
  server: TestSmtpServer,
  subscribers: Subscriber[],
  extra: Partial<SendEditionOptions> = {},
): SendEditionOptions {
  const transport = createSmtpTransport({ url: `smtp://127.0.0.1:${server.port}`, maxConnections: 3 });
  cleanups.push(() => transport.close());
  return sendOptions(state.db, transport, subscribers, { concurrency: 3, retries: 2, ...extra });
}

describe('sendEdition over real SMTP', () => {
  it('delivers one copy to each active subscriber, and a second run sends nothing', async () => {
    const state = tempState();
    cleanups.push(state.cleanup);
    const server = await startSmtpServer();
    cleanups.push(server.close);
    const subscribers = addSubscribers(state.db, 25);

    const first = await sendEdition(options(state, server, subscribers));
    expect(first.sent).toBe(25);
    expect(first.failed).toEqual([]);
    expect(first.inDoubt).toEqual([]);
    expect(server.received.size).toBe(25);
    expect([...server.received.values()].every((n) => n === 1)).toBe(true);
    expect(countDeliveries(state.db, '2026-11-24').sent).toBe(25);

    const second = await sendEdition(options(state, server, subscribers));
    expect(second.sent).toBe(0);
    expect(second.alreadySent).toBe(25);
    expect(server.messages.length).toBe(25);
  });

  it('skips subscribers whose topics select no stories, and records it', async () => {
    const state = tempState();
    cleanups.push(state.cleanup);
    const server = await startSmtpServer();
    cleanups.push(server.close);
    const subscribers = addSubscribers(state.db, 4);
    const summary = await sendEdition({
      ...options(state, server, subscribers),
      compose: () => null,
    });
    expect(summary.skipped).toBe(4);
    expect(server.messages.length).toBe(0);
    expect(countDeliveries(state.db, '2026-11-24').skipped).toBe(4);
  });

  it('never sends to unsubscribed or bounced subscribers', async () => {
    const state = tempState();
    cleanups.push(state.cleanup);
    const server = await startSmtpServer();
    cleanups.push(server.close);
    const subscribers = addSubscribers(state.db, 3).map((s, i) =>
      i === 0
        ? { ...s, status: 'unsubscribed' as const }
        : i === 1
          ? { ...s, status: 'bounced' as const }
          : s,
    );
    const summary = await sendEdition(options(state, server, subscribers));
    expect(summary.sent).toBe(1);
    expect([...server.received.keys()]).toEqual(['reader3@example.org']);
  });
});
