import { describe, expect, it } from 'vitest';
import { heapLimitAdvice } from '../../src/pipeline/heap-advice.ts';

// Node sets V8's heap limit to about a quarter of the machine's memory, and a build that runs
// out crashes. Measured on the 100k bench corpus: with a 512 MiB limit the build died with
// "JavaScript heap out of memory"; with 768 MiB it finished. The build warns before that.

const MiB = 2 ** 20;

describe('the heap-limit warning', () => {
  it('warns a 100k build under a 512 MiB limit, and names a setting that gives it room', () => {
    const advice = heapLimitAdvice(100_000, 512 * MiB);
    expect(advice?.severity).toBe('warning');
    expect(advice?.code).toBe('build/heap-limit');
    expect(advice?.message).toContain('100,000 stories');
    expect(advice?.message).toContain('512 MiB');
    const room = Number(/--max-old-space-size=(\d+)/.exec(advice?.message ?? '')?.[1]);
    expect(room).toBeGreaterThanOrEqual(1024);
    expect(heapLimitAdvice(100_000, room * MiB)).toBeNull();
  });

  it('stays quiet where the build fits: 100k under 768 MiB (measured to finish), 10k under 512 MiB', () => {
    expect(heapLimitAdvice(100_000, 768 * MiB)).toBeNull();
    expect(heapLimitAdvice(100_000, 4144 * MiB)).toBeNull();
    expect(heapLimitAdvice(10_000, 512 * MiB)).toBeNull();
    expect(heapLimitAdvice(26, 64 * MiB)).toBeNull();
  });

  it('warns sooner the larger the archive', () => {
    expect(heapLimitAdvice(300_000, 1024 * MiB)).not.toBeNull();
    expect(heapLimitAdvice(150_000, 1024 * MiB)).toBeNull();
  });
});
