import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryStore } from '../../../src/state/store/index.ts';
import { harborConfig, sampleEdition } from '../../deliver/edition.ts';
import { BACKENDS } from './backends.ts';

const NOW = '2026-11-24T12:00:00.000Z';
const EDITION = '2026-11-24';
const claim = (store: DeliveryStore, limit: number) =>
  store.claimBatch(EDITION, { limit, now: NOW, messageIdFor: (id) => `<${EDITION}.${id}@list>` });

describe.each(BACKENDS)('delivery store on $name: the ledger', (backend) => {
  let cleanup: () => Promise<void> = async () => {};
  afterEach(() => cleanup());
  const open = async (subscribers: number): Promise<DeliveryStore> => {
    const opened = await backend.open();
    cleanup = opened.cleanup;
    for (let i = 1; i <= subscribers; i++)
      await opened.store.addSubscriber({ email: `r${i}@example.org` }, NOW);
    return opened.store;
  };

  it('stores an edition and reads it back, by id and as latest', async () => {
    const store = await open(0);
    const edition = sampleEdition(harborConfig());
    await store.saveEdition(
      {
        edition,
        period: 'daily',
        subject: 'S',
        preheader: 'P',
        html: '<p>h</p>',
        text: 't',
        webHtml: 'w',
        createdAt: NOW,
      },
      3,
    );
    expect((await store.getStoredEdition('latest'))?.edition).toEqual(edition);
    expect(await store.getStoredEdition(EDITION)).toMatchObject({
      subject: 'S',
      html: '<p>h</p>',
      webHtml: 'w',
    });
    expect(await store.getStoredEdition('2020-01-01')).toBeNull();
  });

  it('claims each subscriber once, commits the claim as sending, and records outcomes', async () => {
    const store = await open(5);
    const first = await claim(store, 3);
    const second = await claim(store, 3);
    expect(first.map((s) => s.email)).toEqual(['r1@example.org', 'r2@example.org', 'r3@example.org']);
    expect(second.map((s) => s.email)).toEqual(['r4@example.org', 'r5@example.org']);
    expect(await claim(store, 3)).toEqual([]);
    expect(await store.getDelivery(EDITION, first[0]?.id ?? 0)).toMatchObject({
      state: 'sending',
      messageId: `<${EDITION}.${first[0]?.id}@list>`,
      attempts: 1,
    });
    const [a, b, c] = first.map((s) => s.id) as [number, number, number];
    const [d, e] = second.map((s) => s.id) as [number, number];
    await store.markSent(EDITION, a, NOW);
    await store.markFailed(EDITION, b, '550 no such user', NOW);
    await store.markPending(EDITION, c, '451 try later', NOW);
    await store.markInDoubt(EDITION, d, 'connection lost after DATA', NOW);
    await store.markSkipped(EDITION, e, 'no stories in their topics', NOW);
    expect(await store.countDeliveries(EDITION)).toEqual({
      pending: 1,
      sending: 1,
      sent: 1,
      failed: 1,
      skipped: 1,
    });
    expect(await store.inDoubt(EDITION, 10)).toEqual([
      {
        subscriberId: d,
        email: 'r4@example.org',
        messageId: `<${EDITION}.${d}@list>`,
        reason: 'connection lost after DATA',
      },
    ]);
    // The pending one (a temporary refusal) is claimable again; the in-doubt one is not.
    expect((await claim(store, 10)).map((s) => s.id)).toEqual([c]);
    expect((await store.getDelivery(EDITION, c))?.attempts).toBe(2);
  });

  it('does not claim someone who unsubscribed or was suppressed after the send began', async () => {
    const store = await open(4);
    expect((await claim(store, 1)).map((s) => s.email)).toEqual(['r1@example.org']);
    const r2 = await store.findSubscriberByEmail('r2@example.org');
    await store.setSubscriberStatus(r2?.id ?? 0, 'unsubscribed', NOW);
    await store.suppress('r3@example.org', 'bounced', NOW);
    expect((await claim(store, 10)).map((s) => s.email)).toEqual(['r4@example.org']);
    expect(await store.getDelivery(EDITION, r2?.id ?? 0)).toBeNull();
  });
});
