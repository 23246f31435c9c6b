import { setFlagsFromString } from 'node:v8';

/**
 * How far past the live data V8 may grow its heap before the next full collection, in percent,
 * for a one-shot build (`build.lowMemory`). V8 picks a factor of up to 4 for itself on a machine
 * with memory to spare: a 100k-story build with ~450-550 MiB live peaked at 1.4-1.9 GiB of RSS.
 * At 20% it peaks at 880-939 MiB (nine runs) for 5-16% more CPU (measured: docs/benchmarks.md).
 */
export const LOW_MEMORY_HEAP_GROWTH_PERCENT = 20;

/**
 * Sets V8's heap growth for the rest of this process; 0 gives the choice back to V8. V8 reads
 * this setting at each collection (Node documents no stable API for it, so a V8 that stops
 * reading it would only use more memory, never build differently).
 */
export function setHeapGrowthPercent(percent: number): void {
  setFlagsFromString(`--heap-growing-percent=${Math.max(0, Math.round(percent))}`);
}
