// The bound that orders and prunes character-similarity work in a related-title lookup must
// never be below the similarity itself, or a closer title could be passed over.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bagSimilarityBound } from '../../src/normalize/related.ts';
import { editSimilarity } from '../../src/normalize/text.ts';

const text = fc.string({
  unit: fc.constantFrom('a', 'b', 'c', ' ', 'é', 'ā', 'ĀĀ', '東', '1'),
  maxLength: 24,
});

describe('bagSimilarityBound', () => {
  it('is never below the edit similarity (non-Latin letters and bucket collisions included)', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(bagSimilarityBound(a, b)).toBeGreaterThanOrEqual(editSimilarity(a, b) - 1e-12);
      }),
      { numRuns: 2000, seed: 20261204 },
    );
  });

  it('is 1 for the same letters in another order and low for different letters', () => {
    expect(bagSimilarityBound('fed raises rates', 'rates raises fed')).toBe(1);
    expect(bagSimilarityBound('abcd', 'wxyz')).toBe(0);
    expect(bagSimilarityBound('', '')).toBe(1);
  });
});
