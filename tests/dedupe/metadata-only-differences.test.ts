import { describe, expect, it } from 'vitest';
import { dedupeArticles } from '../../src/dedupe/index.ts';
import { ferryStory } from './story.ts';

describe('copies that differ only in metadata', () => {
  it('merges copies with different related lists, keeping the longer list', () => {
    const short = ferryStory('a.txt', { related: ['Petrel Enters Dry Dock'] });
    const long = ferryStory('b.txt', { related: ['Island Council Meets', 'Petrel Enters Dry Dock'] });
    const result = dedupeArticles([short, long]);
    expect(result.articles).toHaveLength(1);
    expect(result.articles[0]?.related).toEqual(['Island Council Meets', 'Petrel Enters Dry Dock']);
  });

  it('merges copies whose byline dates were written in other formats and zones', () => {
    // "April 3, 2026 9:00 AM BST" and "3 Apr 2026 08:00 GMT" parse to the same instant.
    const london = ferryStory('a.txt', {
      authors: ['Nils Aberg'],
      published: '2026-04-03T09:00:00.000+01:00',
    });
    const utc = ferryStory('b.txt', { authors: ['Nils Aberg'], published: '2026-04-03T08:00:00.000+00:00' });
    const result = dedupeArticles([utc, london]);
    expect(result.articles).toHaveLength(1);
    // Equal rank: the source path decides, not the input order.
    expect(result.articles[0]?.published).toBe('2026-04-03T09:00:00.000+01:00');
  });

  it('prefers the copy with the newer date when both are complete (a re-scrape carries corrections)', () => {
    const first = ferryStory('a.txt', { published: '2026-04-03T09:00:00.000+01:00' });
    const corrected = ferryStory('b.txt', {
      published: '2026-04-03T09:00:00.000+01:00',
      updated: '2026-04-03T12:30:00.000+01:00',
    });
    expect(dedupeArticles([first, corrected]).articles[0]?.sources[0]?.file).toBe('b.txt');
  });
});
