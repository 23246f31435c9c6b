import { describe, expect, it } from 'vitest';
import { BACKENDS, storeOpener } from './backends.ts';

const NOW = '2026-11-24T12:00:00.000Z';
const LATER = '2026-11-25T12:00:00.000Z';

describe.each(BACKENDS)('delivery store on $name: imports, bounces and reports', (backend) => {
  const open = storeOpener(backend);

  it('imports a batch row by row: suppressed first, then added, opted out or left unchanged', async () => {
    const store = await open();
    await store.addSubscriber({ email: 'a@example.org' }, NOW);
    await store.addSubscriber({ email: 'b@example.org', status: 'unsubscribed' }, NOW);
    await store.suppress('C@example.org', 'bounced', NOW);
    await store.suppress('a@example.org', 'complained', NOW);
    const outcomes = await store.importSubscriberRows(
      [
        { email: 'A@example.org', status: 'unsubscribed' },
        { email: 'b@example.org', status: 'active' },
        { email: 'c@example.org' },
        { email: 'd@example.org', name: 'D', topics: ['climate'] },
        { email: 'e@example.org', status: 'bounced' },
      ],
      LATER,
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['suppressed', 'unchanged', 'suppressed', 'added', 'added']);
    expect(outcomes[0]).toEqual({ kind: 'suppressed', reason: 'complained' });
    expect((await store.findSubscriberByEmail('a@example.org'))?.status).toBe('active');
    expect(await store.findSubscriberByEmail('c@example.org')).toBeNull();
    expect(await store.findSubscriberByEmail('d@example.org')).toMatchObject({
      name: 'D',
      topics: ['climate'],
    });
    expect((await store.findSubscriberByEmail('e@example.org'))?.status).toBe('bounced');

    await store.liftSuppression('a@example.org');
    const applied = await store.importSubscriberRows(
      [{ email: 'a@example.org', status: 'unsubscribed' }],
      LATER,
    );
    expect(applied[0]).toMatchObject({ kind: 'status-applied', was: 'active' });
  });

  it('pages the whole list or one status in id order, and erases leaving only a suppression', async () => {
    const store = await open();
    for (let i = 1; i <= 5; i++) await store.addSubscriber({ email: `r${i}@example.org` }, NOW);
    await store.setSubscriberStatus(2, 'paused', LATER);
    expect((await store.subscribersAfter(0, 3)).map((s) => s.id)).toEqual([1, 2, 3]);
    expect((await store.subscribersAfter(3, 3)).map((s) => s.id)).toEqual([4, 5]);
    expect((await store.subscribersAfter(0, 10, 'paused')).map((s) => s.email)).toEqual(['r2@example.org']);
    await store.eraseSubscriber({ id: 3, email: 'r3@example.org' }, LATER);
    expect(await store.getSubscriber(3)).toBeNull();
    expect(await store.suppressionOf('R3@example.org')).toBe('erased');
    expect(await store.liftSuppression('r3@example.org')).toBe(false);
    expect(await store.suppressionOf('r3@example.org')).toBe('erased');
  });

  it('applies traced reports once: soft bounces count per edition in a row, complaints unsubscribe', async () => {
    const store = await open();
    const ids: number[] = [];
    for (const email of ['ann@example.org', 'bob@example.org']) {
      const added = await store.addSubscriber({ email }, NOW);
      if (added.added) ids.push(added.subscriber.id);
    }
    const [ann, bob] = ids as [number, number];
    for (const edition of ['2026-11-24', '2026-11-25']) {
      await store.claimBatch(edition, { limit: 10, now: NOW, messageIdFor: (id) => `<${edition}.${id}@x>` });
      for (const id of ids) await store.markSent(edition, id, NOW);
    }
    expect(await store.editionsOf(ann)).toEqual(['2026-11-25', '2026-11-24']);
    const report = (
      key: string,
      subscriberId: number,
      edition: string,
      kind: 'hard' | 'soft' | 'complaint',
    ) => ({
      event: {
        reportKey: key,
        subscriberId,
        editionId: edition,
        kind,
        status: null,
        reason: kind,
        source: 'mailbox',
        receivedAt: LATER,
      },
      email: subscriberId === ann ? 'ann@example.org' : 'bob@example.org',
      wasActive: true,
      softBounceLimit: 2,
    });
    expect(await store.applyTracedReport(report('k1', ann, '2026-11-24', 'soft'), LATER)).toBe('counted');
    expect(await store.applyTracedReport(report('k1', ann, '2026-11-24', 'soft'), LATER)).toBe('duplicate');
    // The newer edition had no soft bounce yet: still not two in a row.
    expect(await store.applyTracedReport(report('k2', ann, '2026-11-24', 'soft'), LATER)).toBe('counted');
    expect(await store.applyTracedReport(report('k3', ann, '2026-11-25', 'soft'), LATER)).toBe('bounced');
    expect((await store.getSubscriber(ann))?.status).toBe('bounced');
    expect(await store.suppressionOf('ann@example.org')).toBe('bounced');
    expect(await store.applyTracedReport(report('k4', bob, '2026-11-25', 'complaint'), LATER)).toBe(
      'unsubscribed',
    );
    expect(await store.suppressionOf('bob@example.org')).toBe('complained');
    expect(await store.editionCounts('2026-11-25')).toEqual({
      sent: 2,
      hard: 0,
      soft: 1,
      complaints: 1,
      unsubscribed: 1,
    });
    expect((await store.deliveryStatesFor('2026-11-25', [ann, bob, 99])).get(bob)).toBe('sent');
  });
});
