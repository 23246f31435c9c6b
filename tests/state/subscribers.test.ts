import { afterEach, describe, expect, it } from 'vitest';
import { claimDelivery, getDelivery } from '../../src/state/ledger.ts';
import {
  addSubscriber,
  clearBounces,
  deleteSubscriber,
  findSubscriberByEmail,
  getOrCreateLocalSecret,
  listSubscribers,
  readLocalSecret,
  recordBounce,
  setSubscriberStatus,
} from '../../src/state/subscribers.ts';
import { NOW, tempState } from '../deliver/helpers.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function state() {
  const s = tempState();
  cleanups.push(s.cleanup);
  return s.db;
}

describe('subscribers store', () => {
  it('treats addresses differing only in letter case as one subscriber', () => {
    const db = state();
    const first = addSubscriber(db, { email: 'Ann@example.org', topics: ['transit'] }, NOW);
    expect(first.added).toBe(true);
    const again = addSubscriber(db, { email: 'ann@EXAMPLE.org' }, NOW);
    expect(again).toMatchObject({
      added: false,
      existing: { email: 'Ann@example.org', topics: ['transit'] },
    });
    expect(listSubscribers(db)).toHaveLength(1);
  });

  it('never re-activates an unsubscribed address through add', () => {
    const db = state();
    const result = addSubscriber(db, { email: 'ann@example.org' }, NOW);
    if (!result.added) throw new Error('not added');
    setSubscriberStatus(db, result.subscriber.id, 'unsubscribed', NOW);
    expect(addSubscriber(db, { email: 'ann@example.org' }, NOW).added).toBe(false);
    expect(findSubscriberByEmail(db, 'ann@example.org')?.status).toBe('unsubscribed');
    expect(listSubscribers(db, 'active')).toEqual([]);
  });

  it('marks a subscriber bounced when permanent failures in a row reach the threshold', () => {
    const db = state();
    const result = addSubscriber(db, { email: 'ann@example.org' }, NOW);
    if (!result.added) throw new Error('not added');
    const id = result.subscriber.id;
    expect(recordBounce(db, id, 2, NOW)).toMatchObject({ status: 'active', bounceCount: 1 });
    clearBounces(db, id); // a delivery got through in between
    expect(recordBounce(db, id, 2, NOW)).toMatchObject({ status: 'active', bounceCount: 1 });
    expect(recordBounce(db, id, 2, NOW)).toMatchObject({
      status: 'bounced',
      bounceCount: 2,
    });
  });

  it('erases a subscriber together with their delivery records', () => {
    const db = state();
    const result = addSubscriber(db, { email: 'ann@example.org' }, NOW);
    if (!result.added) throw new Error('not added');
    const id = result.subscriber.id;
    claimDelivery(db, { editionId: 'e1', subscriberId: id, messageId: '<m@x>', now: NOW });
    expect(deleteSubscriber(db, id)).toBe(true);
    expect(findSubscriberByEmail(db, 'ann@example.org')).toBeNull();
    expect(getDelivery(db, 'e1', id)).toBeNull();
  });

  it('creates the local unsubscribe secret once and keeps it', () => {
    const db = state();
    expect(readLocalSecret(db)).toBeNull();
    expect(getOrCreateLocalSecret(db, () => 'first')).toEqual({ secret: 'first', created: true });
    expect(getOrCreateLocalSecret(db, () => 'second')).toEqual({ secret: 'first', created: false });
    expect(readLocalSecret(db)).toBe('first');
  });
});
