import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboxTransport, type Message, sendEdition, type Transport } from '../../src/deliver/index.ts';
import type { StateDb } from '../../src/state/db.ts';
import { claimDeliveries, deliveriesOf } from '../../src/state/ledger.ts';
import type { Subscriber } from '../../src/types.ts';
import { addSubscribers, NOW, sendOptions, type TempState, tempState } from './helpers.ts';

const EDITION = '2026-11-24';
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The outbox as `send` builds it: atomic writes (temp file, then rename) and reads by name. */
function outbox(folder: string, written: string[]): Transport {
  mkdirSync(folder, { recursive: true });
  return createOutboxTransport({
    folder,
    write: (name, bytes) => {
      written.push(name);
      writeFileSync(join(folder, `.${name}.tmp`), bytes);
      renameSync(join(folder, `.${name}.tmp`), join(folder, name));
    },
    read: (name) => (existsSync(join(folder, name)) ? readFileSync(join(folder, name)) : null),
  });
}

/** What a run killed mid-send leaves: these rows claimed (`sending`, committed), their outcome never recorded. */
function killedMidSend(db: StateDb, claimed: Subscriber[], compose: (s: Subscriber) => Message | null) {
  const claims = claimed.map((s) => ({
    editionId: EDITION,
    subscriberId: s.id,
    messageId: compose(s)?.messageId ?? '',
    now: NOW,
  }));
  expect(claimDeliveries(db, claims)).toEqual(claimed.map(() => true));
}

function setup(): { state: TempState; folder: string; subscribers: Subscriber[] } {
  const state = tempState();
  cleanups.push(state.cleanup);
  return { state, folder: join(state.dir, 'outbox', EDITION), subscribers: addSubscribers(state.db, 4) };
}

// Each in-doubt row once needed `--resend-in-doubt` (or stayed in doubt for ever), although the
// outbox can tell: its `.eml` is there (written whole: delivered) or not (never left).
describe('outbox: rows left in doubt are settled by the .eml that exists', () => {
  it('the message on disk settles its row as sent (not written again); a missing one is written once', async () => {
    const { state, folder, subscribers } = setup();
    const [delivered, lost] = subscribers as [Subscriber, Subscriber];
    const first: string[] = [];
    const options = sendOptions(state.db, outbox(folder, first), []);
    // The killed run: both claimed; the first one's file was written, then the kill landed.
    killedMidSend(state.db, [delivered, lost], options.compose);
    await outbox(folder, first).send(options.compose(delivered) as Message);
    const before = readFileSync(join(folder, first[0] as string));

    const written: string[] = [];
    const summary = await sendEdition({ ...options, transport: outbox(folder, written), subscribers });
    expect(summary.inDoubt).toEqual([]);
    expect(summary.sent).toBe(3);
    expect(summary.alreadySent).toBe(1);
    // The delivered one is not written again; the lost one and the two untouched ones are, once each.
    expect(written).toEqual(subscribers.slice(1).map((s) => options.compose(s)?.fileName));
    expect(readFileSync(join(folder, first[0] as string))).toEqual(before);
    expect([...deliveriesOf(state.db, EDITION).values()].map((d) => d.state)).toEqual([
      'sent',
      'sent',
      'sent',
      'sent',
    ]);
    // One message per person in the outbox, each one theirs.
    const files = readdirSync(folder).filter((name) => name.endsWith('.eml'));
    expect(files).toHaveLength(4);
    for (const [k, name] of files.sort().entries()) {
      const mail = await simpleParser(readFileSync(join(folder, name)));
      expect(mail.messageId).toBe(options.compose(subscribers[k] as Subscriber)?.messageId);
    }
  });

  it('a file of another message at that name settles nothing: the row stays in doubt', async () => {
    const { state, folder, subscribers } = setup();
    const [one] = subscribers as [Subscriber];
    const options = sendOptions(state.db, outbox(folder, []), [one]);
    killedMidSend(state.db, [one], options.compose);
    const name = options.compose(one)?.fileName as string;
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, name), 'Message-ID: <someone-else@example.org>\r\n\r\nhello\r\n');
    const written: string[] = [];
    const summary = await sendEdition({ ...options, transport: outbox(folder, written) });
    expect(summary.inDoubt.map((d) => d.subscriberId)).toEqual([one.id]);
    expect(written).toEqual([]);
    expect(deliveriesOf(state.db, EDITION).get(one.id)?.state).toBe('sending');
  });
});
