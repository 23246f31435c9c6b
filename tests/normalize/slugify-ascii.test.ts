import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slugify } from '../../src/normalize/text.ts';

/** slugify as defined, for any text (the ASCII shortcut skips NFKD and mark removal). */
function reference(text: string, max = 80): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > max / 2 ? cut.slice(0, lastHyphen) : cut).replace(/-+$/, '');
}

describe('slugify', () => {
  it('gives the NFKD definition for ASCII and any other text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary-ascii', maxLength: 100 }),
          fc.string({ unit: 'grapheme', maxLength: 40 }),
        ),
        fc.integer({ min: 1, max: 90 }),
        (text, max) => {
          expect(slugify(text, max)).toBe(reference(text, max));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('keeps ASCII titles readable', () => {
    expect(slugify("Mayor's `Plan` -- Vote at 9:30!")).toBe('mayors-plan-vote-at-9-30');
    expect(slugify('Cafe\u0301 ﬁnal')).toBe('cafe-final');
  });
});
