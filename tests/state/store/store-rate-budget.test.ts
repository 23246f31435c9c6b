import { afterEach, describe, expect, it } from 'vitest';
import { postgresStore, sharedRateSlot } from '../../../src/state/store/index.ts';
import { freshDatabase, postgresAvailable } from '../../helpers/postgres.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe.skipIf(!postgresAvailable())(
  'one rate budget shared by every sender of an edition (PostgreSQL)',
  () => {
    it('hands out consecutive slots one interval apart, whichever sender asks', async () => {
      const url = await freshDatabase('rate');
      const store = await postgresStore(url); // creates the tables
      closers.push(() => store.close());
      const senderA = sharedRateSlot(url);
      const senderB = sharedRateSlot(url);
      closers.push(senderA.close, senderB.close);
      // A 10 s interval: far longer than any query takes, so the order of slots is what is seen.
      const interval = 10_000;
      const waits = [
        await senderA.reserve('2026-11-24', interval),
        await senderB.reserve('2026-11-24', interval),
        await senderA.reserve('2026-11-24', interval),
      ];
      expect(waits[0]).toBeLessThan(interval);
      expect(waits[1] ?? 0).toBeGreaterThan(interval * 0.5);
      expect((waits[2] ?? 0) - (waits[1] ?? 0)).toBeGreaterThan(interval * 0.5);
      // Another edition has a budget of its own.
      expect(await senderB.reserve('2026-11-25', interval)).toBeLessThan(interval * 0.5);
    });
  },
);
