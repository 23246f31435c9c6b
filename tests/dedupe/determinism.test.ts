import { describe, expect, it } from 'vitest';
import { dedupeArticles } from '../../src/dedupe/index.ts';
import type { Article } from '../../src/types.ts';
import { loadLabelledPairs } from './pairs.ts';

/** A seeded shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function corpus(): Article[] {
  return loadLabelledPairs().flatMap((pair) =>
    (['a', 'b'] as const).map((side) => ({
      ...pair[side],
      sources: [{ file: `${pair.name}/${side}.txt`, startLine: 1, endLine: 20 }],
    })),
  );
}

const byFirstSource = (a: Article, b: Article) =>
  JSON.stringify(a.sources[0]) < JSON.stringify(b.sources[0]) ? -1 : 1;

describe('determinism', () => {
  it('gives byte-identical output for the same input', () => {
    expect(JSON.stringify(dedupeArticles(corpus()))).toBe(JSON.stringify(dedupeArticles(corpus())));
  });

  it.each([1, 2, 3, 42])('gives the same articles and merges for shuffled input (seed %i)', (seed) => {
    const expected = dedupeArticles(corpus());
    const actual = dedupeArticles(shuffled(corpus(), seed));
    expect(actual.articles.length).toBeLessThan(corpus().length);
    expect([...actual.articles].sort(byFirstSource)).toEqual([...expected.articles].sort(byFirstSource));
    const mergeKey = (m: { into: object }) => JSON.stringify(m.into);
    expect([...actual.merges].sort((a, b) => (mergeKey(a) < mergeKey(b) ? -1 : 1))).toEqual(
      [...expected.merges].sort((a, b) => (mergeKey(a) < mergeKey(b) ? -1 : 1)),
    );
  });

  it('orders output by the input position of each canonical copy', () => {
    const input = shuffled(corpus(), 7);
    const result = dedupeArticles(input);
    const positionOf = (article: Article) =>
      input.findIndex(
        (candidate) => JSON.stringify(candidate.sources[0]) === JSON.stringify(article.sources[0]),
      );
    const positions = result.articles.map(positionOf);
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});
