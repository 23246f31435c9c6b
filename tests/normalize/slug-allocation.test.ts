// allocateSlug remembers where it stopped per base slug (so a title a results desk repeats
// daily costs no walk over every earlier copy): it must still give the first free suffix.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateSlug } from '../../src/normalize/identity.ts';
import { slugify } from '../../src/normalize/text.ts';

/** The rule, counted from 2 every time. */
function naive(title: string, taken: Set<string>): string {
  const base = slugify(title);
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}

describe('allocateSlug', () => {
  it('gives the first free suffix, with slugs already taken between the ones it gave', () => {
    const taken = new Set(['daily-report', 'daily-report-3', 'daily-report-4', 'daily-report-7']);
    const slugs = Array.from({ length: 5 }, () => allocateSlug('Daily Report', taken));
    expect(slugs).toEqual([
      'daily-report-2',
      'daily-report-5',
      'daily-report-6',
      'daily-report-8',
      'daily-report-9',
    ]);
  });

  it('allocates as counting from 2 each time would, for any order of titles and taken slugs', () => {
    const title = fc.constantFrom('Daily Report', 'Market Close', 'Daily report!', 'Harbor FC 2-1');
    const step = fc.oneof(
      title.map((t) => ({ allocate: t })),
      fc.tuple(title, fc.integer({ min: 2, max: 12 })).map(([t, n]) => ({ take: `${slugify(t)}-${n}` })),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const fast = new Set<string>();
        const slow = new Set<string>();
        for (const s of steps) {
          if ('take' in s) {
            fast.add(s.take);
            slow.add(s.take);
          } else expect(allocateSlug(s.allocate, fast)).toBe(naive(s.allocate, slow));
        }
      }),
      { numRuns: 300, seed: 20261204 },
    );
  });
});
