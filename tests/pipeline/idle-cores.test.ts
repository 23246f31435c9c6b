// `build.threads: 0` starts a render helper per core that stayed idle while the build read and
// planned (render-pool.ts): measured from two samples of the machine's CPU times, not from the
// 1-minute load average, which counts this build's own last minute and whatever ran before it.
import { describe, expect, it } from 'vitest';
import { cpuSample, idleCores } from '../../src/pipeline/threads.ts';

const sample = (cores: number, idleMs: number, busyMs: number) => ({ cores, idleMs, busyMs });

describe('idle cores between two CPU samples', () => {
  it('finds one idle core on two when this build kept the other busy for 8 s', () => {
    const before = sample(2, 1_000_000, 500_000);
    expect(idleCores(before, sample(2, 1_000_000 + 8_000, 500_000 + 8_000))).toBe(1);
  });

  it('finds none when another process kept the second core busy too', () => {
    const before = sample(2, 1_000_000, 500_000);
    expect(idleCores(before, sample(2, 1_000_000 + 200, 500_000 + 15_800))).toBeCloseTo(0.025, 3);
  });

  it('counts every idle core of a larger machine', () => {
    const before = sample(8, 0, 0);
    // Eight cores for 5 s: this build's one busy, two more busy with others, five idle.
    expect(idleCores(before, sample(8, 25_000, 15_000))).toBe(5);
  });

  it('says nothing for a build too short to tell, or when the samples do not match', () => {
    const before = sample(2, 1_000_000, 500_000);
    expect(idleCores(before, sample(2, 1_000_000 + 600, 500_000 + 600))).toBeNull();
    expect(idleCores(before, sample(4, 1_010_000, 510_000))).toBeNull();
    expect(idleCores(before, sample(2, 900_000, 600_000))).toBeNull();
    // A platform that lists no cores.
    expect(idleCores(sample(0, 0, 0), sample(0, 0, 0))).toBeNull();
  });

  it('reads this machine: one figure per core, times that only grow', () => {
    const first = cpuSample();
    const second = cpuSample();
    expect(first.cores).toBeGreaterThan(0);
    expect(second.idleMs).toBeGreaterThanOrEqual(first.idleMs);
    expect(second.busyMs).toBeGreaterThanOrEqual(first.busyMs);
  });
});
