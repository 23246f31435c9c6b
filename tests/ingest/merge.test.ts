import { describe, expect, it } from 'vitest';
import { parseFixture } from './helpers.ts';

describe('the same article twice in one file', () => {
  it('merges the copies: complete body, the byline from the copy that has it, every source kept', () => {
    const { articles, diagnostics } = parseFixture('same-article-twice.txt');
    expect(diagnostics).toEqual([]);
    expect(articles).toHaveLength(1);
    const [article] = articles;
    expect(article?.title).toBe('Reservoir Levels Reach Ten-Year Low');
    expect(article?.authors).toEqual(['Tomasz Wierzbicki']);
    expect(article?.published).toBeNull();
    expect(article?.body).toHaveLength(3);
    expect(article?.body.at(-1)).toMatch(/^Lawn watering is now limited/);
    expect(article?.analysis).toHaveLength(1);
    expect(article?.related).toEqual([
      'Water Main Repairs Close Pier Street',
      'Drought Watch Declared for the County',
    ]);
    expect(article?.highlights).toHaveLength(2);
    expect(article?.sources).toEqual([
      { file: 'fixtures/same-article-twice.txt', startLine: 1, endLine: 11 },
      { file: 'fixtures/same-article-twice.txt', startLine: 12, endLine: 27 },
    ]);
    expect(article?.mergedFrom).toEqual([
      { file: 'fixtures/same-article-twice.txt', startLine: 12, endLine: 27 },
    ]);
  });

  it('keeps two different stories that share a headline apart', () => {
    const { articles } = parseFixture('same-title-different-story.txt');
    expect(articles).toHaveLength(2);
    expect(articles.every((a) => a.mergedFrom.length === 0)).toBe(true);
  });
});
