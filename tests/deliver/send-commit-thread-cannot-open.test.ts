import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport, sendEdition } from '../../src/deliver/index.ts';
import { deliveriesOf } from '../../src/state/ledger.ts';
import { startCommitThread } from '../../src/state/ledger-thread.ts';
import { addSubscribers, sendOptions, startSmtpServer, tempState } from './helpers.ts';

const EDITION = '2026-11-24';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the ledger commit thread cannot open the state file', () => {
  it('refuses to create a new file in its place, and says which file', async () => {
    const state = tempState();
    cleanups.push(state.cleanup);
    const missing = join(state.dir, 'gone.db');
    const thread = startCommitThread(missing);
    cleanups.push(() => thread.close());
    const claim = {
      editionId: EDITION,
      subscriberId: 1,
      messageId: '<m@x>',
      now: '2026-11-24T12:00:00.000Z',
    };
    await expect(thread.commit([], [claim])).rejects.toThrow(
      `the ledger's commit thread could not open ${missing}`,
    );
    expect(thread.opened()).toBe(false);
    expect(existsSync(missing)).toBe(false);
  });

  it('leaves the commits on the sender’s own connection: everyone delivered once, every row in the file it has open', async () => {
    const state = tempState();
    cleanups.push(state.cleanup);
    const server = await startSmtpServer();
    cleanups.push(server.close);
    const subscribers = addSubscribers(state.db, 12);
    const smtp = createSmtpTransport({ url: `smtp://127.0.0.1:${server.port}`, maxConnections: 2 });
    cleanups.push(() => smtp.close());
    // Moved away while this connection still has it open: a thread opening the old path must not
    // create a new, empty file there and take claims nobody reads.
    renameSync(state.path, join(state.dir, 'moved.db'));

    const summary = await sendEdition(sendOptions(state.db, smtp, subscribers, { concurrency: 2 }));
    expect(summary.sent).toBe(12);
    expect([...server.received.values()]).toEqual(Array(12).fill(1));
    expect([...deliveriesOf(state.db, EDITION).values()].map((row) => row.state)).toEqual(
      Array(12).fill('sent'),
    );
    expect(existsSync(state.path)).toBe(false);
  });
});
