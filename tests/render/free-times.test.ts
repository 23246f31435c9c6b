// atom:updated values are made distinct by taking the first free millisecond (render/free-times.ts):
// the same answers as walking one millisecond at a time, with work per story that does not grow
// when thousands of stories share one second.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FreeTimes } from '../../src/render/free-times.ts';

/** The plain walk FreeTimes replaces: step one millisecond at a time past taken ones. */
function walkOneByOne(wants: number[]): number[] {
  const taken = new Set<number>();
  return wants.map((wanted) => {
    let time = wanted;
    while (taken.has(time)) time++;
    taken.add(time);
    return time;
  });
}

describe('FreeTimes', () => {
  it('hands out the same times as the one-by-one walk, for any order of wants', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 400 }), (wants) => {
        const times = new FreeTimes();
        expect(wants.map((wanted) => times.take(wanted))).toEqual(walkOneByOne(wants));
      }),
      { numRuns: 300 },
    );
  });

  it('takes a few steps per time when 20,000 stories want the same second', () => {
    const times = new FreeTimes();
    const second = Date.parse('2026-12-05T10:00:00Z');
    const taken = Array.from({ length: 20_000 }, (_, n) => times.take(second + ((n * 7919) % 1000)));
    expect(new Set(taken).size).toBe(20_000);
    expect(Math.min(...taken)).toBe(second);
    expect(Math.max(...taken)).toBe(second + 19_999);
    // The one-by-one walk took ~100 million steps here.
    expect(times.steps).toBeLessThan(5 * 20_000);
  });
});
