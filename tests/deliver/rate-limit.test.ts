import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/deliver/index.ts';

describe('rate limiter', () => {
  it('spaces hand-overs 1/rate apart without an initial burst, on a fake clock', async () => {
    let now = 1000;
    const waits: number[] = [];
    const take = createRateLimiter(
      4,
      () => now,
      async (ms) => {
        waits.push(ms);
      },
    );
    // Five workers asking at the same instant get slots 0, 250, 500, 750 and 1000 ms later.
    await Promise.all([take(), take(), take(), take(), take()]);
    expect(waits).toEqual([250, 500, 750, 1000]);
    // After a quiet spell the next one goes at once.
    now += 5000;
    await take();
    expect(waits).toHaveLength(4);
  });

  it('never waits when unlimited', async () => {
    const waits: number[] = [];
    const take = createRateLimiter(
      Number.POSITIVE_INFINITY,
      () => 0,
      async (ms) => {
        waits.push(ms);
      },
    );
    for (let i = 0; i < 100; i++) await take();
    expect(waits).toEqual([]);
  });
});
