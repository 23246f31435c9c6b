import { afterEach, describe, expect, it } from 'vitest';
import {
  buildMessage,
  createSmtpTransport,
  type SendEditionOptions,
  sendEdition,
} from '../../src/deliver/index.ts';
import { countDeliveries, getDelivery } from '../../src/state/ledger.ts';
import { getSubscriber } from '../../src/state/subscribers.ts';
import type { Subscriber } from '../../src/types.ts';
import {
  addSubscribers,
  NOW,
  SETTINGS,
  type SmtpBehaviour,
  sampleRendered,
  sendOptions,
  smtpError,
  startSmtpServer,
  tempState,
} from './helpers.ts';

const EDITION = '2026-11-24';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(count: number, behaviour: SmtpBehaviour, threshold = 1) {
  const state = tempState();
  cleanups.push(state.cleanup);
  const server = await startSmtpServer(behaviour);
  cleanups.push(server.close);
  const subscribers = addSubscribers(state.db, count);
  const sleeps: number[] = [];
  const run = async (extra: Partial<SendEditionOptions> = {}) => {
    const transport = createSmtpTransport({
      url: `smtp://127.0.0.1:${server.port}`,
      maxConnections: 2,
      timeoutMs: 2000,
    });
    try {
      return await sendEdition({
        db: state.db,
        editionId: EDITION,
        listId: SETTINGS.listId,
        subscribers: subscribers.map((s) => getSubscriber(state.db, s.id) as Subscriber),
        compose: (s) =>
          buildMessage({
            rendered: sampleRendered(),
            editionId: EDITION,
            recipient: s,
            settings: SETTINGS,
            unsubscribeUrl: 'https://ledger.example/unsubscribe?t=x',
            date: NOW,
          }),
        transport,
        concurrency: 2,
        ratePerSecond: Number.POSITIVE_INFINITY,
        retries: 3,
        backoffMs: 100,
        bounceThreshold: threshold,
        resendInDoubt: false,
        now: () => NOW,
        clock: () => 0,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        ...extra,
      });
    } finally {
      await transport.close();
    }
  };
  return { state, server, subscribers, sleeps, run };
}

describe('sendEdition when the server refuses or fails', () => {
  it('retries a 4xx refusal with exponential backoff and delivers once', async () => {
    let refusals = 0;
    const { server, sleeps, run } = await setup(3, {
      onRcpt: (address) =>
        address === 'reader2@example.org' && refusals++ < 2
          ? smtpError(451, 'Try again later (greylisted)')
          : null,
    });
    const summary = await run();
    expect(summary.sent).toBe(3);
    expect(summary.retried).toBe(2);
    expect(sleeps).toEqual([100, 200]);
    expect(server.received.get('reader2@example.org')).toBe(1);
  });

  it('gives up after the configured retries, leaves the row pending, and a later run delivers it', async () => {
    let refuse = true;
    const { state, server, subscribers, run } = await setup(2, {
      onRcpt: (address) =>
        refuse && address === 'reader1@example.org' ? smtpError(450, 'Mailbox busy') : null,
    });
    const first = await run();
    expect(first.failed.map((f) => f.email)).toEqual(['reader1@example.org']);
    expect(first.retried).toBe(3);
    expect(getDelivery(state.db, EDITION, subscribers[0]?.id ?? 0)?.state).toBe('pending');
    refuse = false;
    const second = await run();
    expect(second.sent).toBe(1);
    expect(server.received.get('reader1@example.org')).toBe(1);
    expect(server.received.get('reader2@example.org')).toBe(1);
  });

  it('records a 5xx as a permanent failure, marks the subscriber bounced at the threshold, and never retries it', async () => {
    const { state, server, subscribers, run } = await setup(2, {
      onRcpt: (address) => (address === 'reader2@example.org' ? smtpError(550, '5.1.1 No such user') : null),
    });
    const first = await run();
    expect(first.sent).toBe(1);
    expect(first.retried).toBe(0);
    expect(first.failed).toHaveLength(1);
    expect(first.failed[0]?.error).toMatch(/550/);
    const bounced = getSubscriber(state.db, subscribers[1]?.id ?? 0);
    expect(bounced?.status).toBe('bounced');
    expect(bounced?.bounceCount).toBe(1);
    expect(getDelivery(state.db, EDITION, bounced?.id ?? 0)?.state).toBe('failed');
    const second = await run();
    expect(second.sent).toBe(0);
    expect(server.received.has('reader2@example.org')).toBe(false);
  });

  it('keeps a subscriber active below the bounce threshold', async () => {
    const { state, subscribers, run } = await setup(
      1,
      { onRcpt: () => smtpError(550, '5.1.1 No such user') },
      3,
    );
    await run();
    const subscriber = getSubscriber(state.db, subscribers[0]?.id ?? 0);
    expect(subscriber?.status).toBe('active');
    expect(subscriber?.bounceCount).toBe(1);
  });

  it('a content refusal (5.7.x after DATA) fails the message without bouncing the address', async () => {
    const { state, subscribers, run } = await setup(1, {
      onMessage: () => smtpError(554, '5.7.1 Message rejected as spam'),
    });
    const summary = await run();
    expect(summary.failed).toHaveLength(1);
    expect(getSubscriber(state.db, subscribers[0]?.id ?? 0)?.status).toBe('active');
  });

  it('leaves a message whose connection dropped after DATA in doubt: not resent, unless asked', async () => {
    let dropped = false;
    const { state, server, subscribers, run } = await setup(3, {
      onMessage: (to) => {
        if (to === 'reader2@example.org' && !dropped) {
          dropped = true;
          return 'drop';
        }
        return 'accept';
      },
    });
    const first = await run();
    expect(first.inDoubt.map((d) => d.email)).toEqual(['reader2@example.org']);
    expect(first.sent).toBe(2);
    expect(getDelivery(state.db, EDITION, subscribers[1]?.id ?? 0)?.state).toBe('sending');

    const second = await run();
    expect(second.sent).toBe(0);
    expect(second.inDoubt.map((d) => d.email)).toEqual(['reader2@example.org']);
    expect(server.received.get('reader2@example.org')).toBe(1);

    // The explicit resend carries the same Message-ID, so the recipient's client can fold the two.
    const third = await run({ resendInDoubt: true });
    expect(third.sent).toBe(1);
    expect(server.received.get('reader2@example.org')).toBe(2);
    const ids = server.messages
      .filter((m) => m.to === 'reader2@example.org')
      .map((m) => /^Message-ID: (.*)$/im.exec(m.raw.toString())?.[1]);
    expect(ids[0]).toBeTruthy();
    expect(ids[0]).toBe(ids[1]);
    expect(countDeliveries(state.db, EDITION).sent).toBe(3);
  });

  it('stops the whole run when the sender address is refused, bouncing nobody', async () => {
    const state = tempState();
    cleanups.push(state.cleanup);
    const { SMTPServer } = await import('smtp-server');
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onMailFrom: (_address, _session, callback) => callback(smtpError(553, 'Sender address rejected')),
    });
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port)),
    );
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const subscribers = addSubscribers(state.db, 10);
    const transport = createSmtpTransport({ url: `smtp://127.0.0.1:${port}`, maxConnections: 1 });
    cleanups.push(() => transport.close());
    const summary = await sendEdition(sendOptions(state.db, transport, subscribers, { editionId: EDITION }));
    expect(summary.aborted).toMatch(/553/);
    // Pool of 1, so two lanes: the two messages already with the transport come back pending
    // (certainly not delivered), the other eight are never claimed.
    expect(summary.notSent).toBe(8);
    expect(summary.pending.map((p) => p.email)).toEqual(['reader1@example.org', 'reader2@example.org']);
    expect(countDeliveries(state.db, EDITION)).toMatchObject({ pending: 2, sent: 0, failed: 0, sending: 0 });
    expect(subscribers.every((s) => getSubscriber(state.db, s.id)?.status === 'active')).toBe(true);
  });
});
