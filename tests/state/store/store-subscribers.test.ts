import { describe, expect, it } from 'vitest';
import { BACKENDS, storeOpener } from './backends.ts';

const NOW = '2026-11-24T12:00:00.000Z';
const LATER = '2026-11-25T12:00:00.000Z';

describe.each(BACKENDS)('delivery store on $name: subscribers and suppression', (backend) => {
  const open = storeOpener(backend);

  it('adds an address once, whatever its capitals, and finds it either way', async () => {
    const store = await open();
    const first = await store.addSubscriber(
      { email: 'Ann@Example.com', name: 'Ann', topics: ['transit'] },
      NOW,
    );
    const again = await store.addSubscriber({ email: 'ann@example.com' }, LATER);
    expect(first.added).toBe(true);
    expect(again).toMatchObject({
      added: false,
      existing: { email: 'Ann@Example.com', topics: ['transit'] },
    });
    expect((await store.findSubscriberByEmail('ANN@example.COM'))?.name).toBe('Ann');
    expect(await store.countSubscribers()).toBe(1);
  });

  it('imports a batch: adds new rows, honours an opt-out, never reactivates', async () => {
    const store = await open();
    await store.addSubscriber({ email: 'a@example.org' }, NOW);
    await store.addSubscriber({ email: 'b@example.org', status: 'unsubscribed' }, NOW);
    const counts = await store.importSubscribers(
      [
        { email: 'a@example.org', status: 'unsubscribed' },
        { email: 'b@example.org', status: 'active' },
        { email: 'c@example.org', name: 'C', topics: ['climate'] },
      ],
      LATER,
    );
    expect(counts).toEqual({ added: 1, statusApplied: 1, unchanged: 1 });
    expect((await store.findSubscriberByEmail('a@example.org'))?.status).toBe('unsubscribed');
    expect((await store.findSubscriberByEmail('b@example.org'))?.status).toBe('unsubscribed');
    expect(await store.findSubscriberByEmail('c@example.org')).toMatchObject({
      name: 'C',
      topics: ['climate'],
    });
  });

  it('pages through active, unsuppressed subscribers by id, and lists their topic selections', async () => {
    const store = await open();
    for (let i = 1; i <= 7; i++)
      await store.addSubscriber({ email: `r${i}@example.org`, topics: i % 2 ? ['transit'] : [] }, NOW);
    const third = await store.findSubscriberByEmail('r3@example.org');
    await store.setSubscriberStatus(third?.id ?? 0, 'unsubscribed', LATER);
    await store.suppress('R5@example.org', 'complained', LATER);
    const seen: string[] = [];
    for (let after = 0; ; ) {
      const page = await store.activeSubscribersAfter(after, 2);
      if (page.length === 0) break;
      seen.push(...page.map((s) => s.email));
      after = page[page.length - 1]?.id ?? after;
    }
    expect(seen).toEqual([
      'r1@example.org',
      'r2@example.org',
      'r4@example.org',
      'r6@example.org',
      'r7@example.org',
    ]);
    expect(await store.activeTopicSelections()).toEqual([[], ['transit']]);
    expect(await store.suppressionOf('r5@EXAMPLE.org')).toBe('complained');
  });

  it('never weakens an erasure, and counts bounces to the threshold', async () => {
    const store = await open();
    await store.suppress('gone@example.org', 'erased', NOW);
    await store.suppress('gone@example.org', 'bounced', LATER);
    expect(await store.suppressionOf('gone@example.org')).toBe('erased');
    const added = await store.addSubscriber({ email: 'flaky@example.org' }, NOW);
    const id = added.added ? added.subscriber.id : 0;
    expect((await store.recordBounce(id, 2, NOW))?.status).toBe('active');
    expect(await store.recordBounce(id, 2, NOW)).toMatchObject({ status: 'bounced', bounceCount: 2 });
  });

  it('makes the unsubscribe secret once and keeps it', async () => {
    const store = await open();
    expect(await store.readSecret()).toBeNull();
    expect(await store.getOrCreateSecret(() => 'first')).toEqual({ secret: 'first', created: true });
    expect(await store.getOrCreateSecret(() => 'second')).toEqual({ secret: 'first', created: false });
    expect(await store.readSecret()).toBe('first');
  });
});
