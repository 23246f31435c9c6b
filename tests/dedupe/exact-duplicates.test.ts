import { describe, expect, it } from 'vitest';
import { dedupeArticlesWithStats } from '../../src/dedupe/index.ts';
import { MAX_BUCKET_PAIRS } from '../../src/dedupe/lsh.ts';
import { ferryStory } from './story.ts';

describe('exact duplicates', () => {
  it('collapses identical copies from several files into one, keeping every source', () => {
    const copies = ['x.txt', 'y.txt', 'z.txt'].map((file) => ferryStory(file));
    const result = dedupeArticlesWithStats(copies);
    expect(result.articles).toHaveLength(1);
    expect(result.articles[0]?.sources.map((s) => s.file)).toEqual(['x.txt', 'y.txt', 'z.txt']);
    expect(result.merges[0]?.from.map((s) => s.file)).toEqual(['y.txt', 'z.txt']);
  });

  it('collapses more copies than an index bucket pairs all-to-all, without comparing every pair', () => {
    const count = MAX_BUCKET_PAIRS * 3;
    const copies = Array.from({ length: count }, (_, i) =>
      ferryStory(`copies/${String(i).padStart(4, '0')}.txt`),
    );
    const result = dedupeArticlesWithStats(copies);
    expect(result.articles).toHaveLength(1);
    expect(result.articles[0]?.sources).toHaveLength(count);
    expect(result.stats.candidatePairs).toBeLessThan((count * (count - 1)) / 2);
  });
});
