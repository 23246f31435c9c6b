import type { Diagnostic } from '../types.ts';

/**
 * What a build holds at its peak: ~50 MiB of code and caches, and ~5 KiB a story (measured on
 * the 100k bench corpus: 450-540 MiB live at the end of normalize; 415 MiB since related titles,
 * topic lists and content hashes are shared. Kept: the warning errs on the early side).
 */
const PEAK_HEAP_BASE = 50 * 2 ** 20;
const PEAK_HEAP_PER_STORY = 5 * 2 ** 10;

/**
 * A warning when `stories` may not fit under V8's heap limit. Node sets that limit to about a
 * quarter of the machine's memory, and running out is a crash ("JavaScript heap out of
 * memory"), so say so before the build gets there, with the setting that gives it room.
 */
export function heapLimitAdvice(stories: number, heapLimitBytes: number): Diagnostic | null {
  const needed = PEAK_HEAP_BASE + PEAK_HEAP_PER_STORY * stories;
  if (needed <= heapLimitBytes * 0.9) return null;
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20).toLocaleString('en-US');
  const room = Math.max(1024, Math.ceil((2 * needed) / 2 ** 28) * 256);
  return {
    severity: 'warning',
    code: 'build/heap-limit',
    message:
      `${stories.toLocaleString('en-US')} stories may need ~${mib(needed)} MiB of heap at the build's peak, ` +
      `near Node's limit here (${mib(heapLimitBytes)} MiB): the build may stop with "JavaScript heap out of memory". ` +
      `Give it room: NODE_OPTIONS=--max-old-space-size=${room} broadsheet build`,
  };
}
