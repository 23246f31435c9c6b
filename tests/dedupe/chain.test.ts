import { describe, expect, it } from 'vitest';
import { compareArticles, dedupeArticles } from '../../src/dedupe/index.ts';
import { ferryParagraphs, ferryStory } from './story.ts';

describe('a chain of copies A ~ B ~ C', () => {
  // A has the top of the story, C the bottom, B all of it: A and C share no sentence, yet
  // all three are one story, joined through B.
  const top = ferryStory('a.txt', { body: ferryParagraphs.slice(0, 2) });
  const whole = ferryStory('b.txt');
  const bottom = ferryStory('c.txt', { body: ferryParagraphs.slice(2) });

  it('is not similar end to end', () => {
    expect(compareArticles(top, bottom).sameStory).toBe(false);
    expect(compareArticles(top, whole).sameStory).toBe(true);
    expect(compareArticles(whole, bottom).sameStory).toBe(true);
  });

  it.each([
    ['A, B, C', [top, whole, bottom]],
    ['C, A, B', [bottom, top, whole]],
    ['A, C, B', [top, bottom, whole]],
  ])('collapses into one article with all three sources (%s)', (_order, input) => {
    const result = dedupeArticles(input);
    expect(result.articles).toHaveLength(1);
    expect(result.articles[0]?.body).toEqual(ferryParagraphs);
    // The whole copy first, then the fragments best first (the bottom three paragraphs are longer).
    expect(result.articles[0]?.sources.map((s) => s.file)).toEqual(['b.txt', 'c.txt', 'a.txt']);
    expect(result.merges).toHaveLength(1);
    expect(result.merges[0]?.from.map((s) => s.file)).toEqual(['c.txt', 'a.txt']);
  });
});
