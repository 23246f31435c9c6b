import { afterEach, describe, expect, it } from 'vitest';
import { openState } from '../../src/state/db.ts';
import {
  claimDeliveries,
  claimDelivery,
  countDeliveries,
  getDelivery,
  markFailed,
  markInDoubt,
  markPending,
  markSent,
  markSkipped,
} from '../../src/state/ledger.ts';
import { addSubscribers, NOW, tempState } from '../deliver/helpers.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function setup() {
  const s = tempState();
  cleanups.push(s.cleanup);
  const [sub] = addSubscribers(s.db, 1);
  if (!sub) throw new Error('no subscriber');
  const claim = { editionId: 'e1', subscriberId: sub.id, messageId: '<e1.x@list>', now: NOW };
  return { ...s, sub, claim };
}

describe('delivery ledger', () => {
  it('lets a message be claimed once: a sent, failed or in-doubt row is never claimed again', () => {
    const { db, claim } = setup();
    expect(claimDelivery(db, claim)).toBe(true);
    expect(claimDelivery(db, claim)).toBe(false); // in doubt (sending)
    markSent(db, 'e1', claim.subscriberId, NOW);
    expect(claimDelivery(db, claim)).toBe(false);
    expect(claimDelivery(db, { ...claim, includeInDoubt: true })).toBe(false);
    expect(getDelivery(db, 'e1', claim.subscriberId)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('lets a pending row (certainly not delivered) be claimed again, counting attempts', () => {
    const { db, claim } = setup();
    claimDelivery(db, claim);
    markPending(db, 'e1', claim.subscriberId, '451 try later', NOW);
    expect(claimDelivery(db, claim)).toBe(true);
    expect(getDelivery(db, 'e1', claim.subscriberId)).toMatchObject({ state: 'sending', attempts: 2 });
    markFailed(db, 'e1', claim.subscriberId, '550 no such user', NOW);
    expect(claimDelivery(db, claim)).toBe(false);
  });

  it('reclaims an in-doubt row only when asked explicitly', () => {
    const { db, claim } = setup();
    claimDelivery(db, claim);
    markInDoubt(db, 'e1', claim.subscriberId, 'connection lost', NOW);
    expect(claimDelivery(db, claim)).toBe(false);
    expect(claimDelivery(db, { ...claim, includeInDoubt: true })).toBe(true);
  });

  it('sees a claim made through another connection (two send processes cannot both take a row)', () => {
    const { db, path, claim } = setup();
    const other = openState(path);
    cleanups.unshift(() => other.close());
    expect(claimDelivery(other, claim)).toBe(true);
    expect(claimDelivery(db, claim)).toBe(false);
  });

  it('claims a batch in one transaction, refusing the rows already taken', () => {
    const { db, claim } = setup();
    const [other] = addSubscribers(db, 2).slice(-1);
    const second = addSubscribers(db, 3).at(-1);
    if (!other || !second) throw new Error('no subscribers');
    claimDelivery(db, claim);
    const results = claimDeliveries(db, [
      claim,
      { ...claim, subscriberId: other.id },
      { ...claim, subscriberId: second.id },
    ]);
    expect(results).toEqual([false, true, true]);
    expect(countDeliveries(db, 'e1').sending).toBe(3);
  });

  it('records a skip once and never over a real delivery', () => {
    const { db, claim } = setup();
    claimDelivery(db, claim);
    markSent(db, 'e1', claim.subscriberId, NOW);
    expect(markSkipped(db, 'e1', claim.subscriberId, claim.messageId, 'no stories', NOW)).toBe(false);
    expect(countDeliveries(db, 'e1')).toEqual({ pending: 0, sending: 0, sent: 1, failed: 0, skipped: 0 });
  });
});
