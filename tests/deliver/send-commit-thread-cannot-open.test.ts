import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport, sendEdition } from '../../src/deliver/index.ts';
import { deliveriesOf } from '../../src/state/ledger.ts';
import { addSubscribers, sendOptions, startSmtpServer, tempState } from './helpers.ts';

const EDITION = '2026-11-24';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the ledger commit thread cannot open the state file', () => {
  it('sends nothing and says which file, and a later run delivers everyone once', async () => {
    const state = tempState();
    cleanups.push(state.cleanup);
    const server = await startSmtpServer();
    cleanups.push(server.close);
    const subscribers = addSubscribers(state.db, 12);
    const smtp = createSmtpTransport({ url: `smtp://127.0.0.1:${server.port}`, maxConnections: 2 });
    cleanups.push(() => smtp.close());
    // Moved away while this connection still has it open: the thread must not create a new,
    // empty file at the old path and take claims there.
    const moved = join(state.dir, 'moved.db');
    renameSync(state.path, moved);

    const first = sendEdition(sendOptions(state.db, smtp, subscribers, { concurrency: 2 }));
    await expect(first).rejects.toThrow(`the ledger's commit thread could not open ${state.path}`);
    expect(server.messages).toHaveLength(0);
    expect([...deliveriesOf(state.db, EDITION).values()].filter((row) => row.state === 'sending')).toEqual(
      [],
    );

    renameSync(moved, state.path);
    const second = await sendEdition(sendOptions(state.db, smtp, subscribers, { concurrency: 2 }));
    expect(second.sent).toBe(12);
    expect([...server.received.values()]).toEqual(Array(12).fill(1));
  });
});
