import { afterEach, describe, expect, it } from 'vitest';
import { type DeliveryStore, postgresStore } from '../../../src/state/store/index.ts';
import { freshDatabase, postgresAvailable } from '../../helpers/postgres.ts';

const NOW = '2026-11-24T12:00:00.000Z';
const EDITION = '2026-11-24';
const claim = (store: DeliveryStore, limit: number) =>
  store.claimBatch(EDITION, { limit, now: NOW, messageIdFor: (id) => `<${EDITION}.${id}@list>` });

const open: DeliveryStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close().catch(() => {});
});

describe.skipIf(!postgresAvailable())('in doubt with many senders (PostgreSQL)', () => {
  it("reports another sender's claim only once that sender is gone, and --resend-in-doubt frees only those", async () => {
    const url = await freshDatabase('indoubt');
    const alive = await postgresStore(url);
    const doomed = await postgresStore(url);
    open.push(alive, doomed);
    for (let i = 1; i <= 3; i++) await alive.addSubscriber({ email: `r${i}@example.org` }, NOW);
    const [mine] = await claim(alive, 1);
    const [theirs] = await claim(doomed, 1);
    // Both in flight, both senders alive: nothing is in doubt yet.
    expect(await alive.inDoubt(EDITION, 10)).toEqual([]);
    expect(await alive.releaseInDoubt(EDITION, NOW)).toBe(0);

    // The other sender's connection goes (as when its process is killed): its claim is in doubt.
    await doomed.close();
    open.splice(open.indexOf(doomed), 1);
    expect((await alive.inDoubt(EDITION, 10)).map((row) => row.subscriberId)).toEqual([theirs?.id]);
    expect(await alive.releaseInDoubt(EDITION, NOW)).toBe(1);
    expect((await alive.getDelivery(EDITION, theirs?.id ?? 0))?.state).toBe('pending');
    expect((await alive.getDelivery(EDITION, mine?.id ?? 0))?.state).toBe('sending');

    // A live sender that gives up on a message (outcome unknown) makes it in doubt at once.
    await alive.markInDoubt(EDITION, mine?.id ?? 0, 'connection lost after DATA', NOW);
    expect(await alive.inDoubt(EDITION, 10)).toMatchObject([
      { subscriberId: mine?.id, reason: 'connection lost after DATA' },
    ]);
  });
});
