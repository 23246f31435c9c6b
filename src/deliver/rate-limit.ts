/**
 * Spaces hand-overs at least `1000 / perSecond` ms apart across all workers: the simplest
 * limiter that never bursts (providers count per second, and a burst at start is what trips them).
 */
export function createRateLimiter(
  perSecond: number,
  clock: () => number,
  sleep: (ms: number) => Promise<void>,
): () => Promise<void> {
  const interval = 1000 / perSecond;
  let next = Number.NEGATIVE_INFINITY;
  return async () => {
    const now = clock();
    const slot = Math.max(now, next);
    next = slot + interval;
    if (slot > now) await sleep(slot - now);
  };
}
