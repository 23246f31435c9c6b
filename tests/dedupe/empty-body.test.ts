import { describe, expect, it } from 'vitest';
import { dedupeArticles } from '../../src/dedupe/index.ts';
import { makeArticle } from './articles.ts';
import { ferryStory } from './story.ts';

describe('articles with an empty body', () => {
  it('does not merge empty-body articles with different titles', () => {
    const articles = ['Council Meets Tonight', 'Ferry Timetable Changes', 'School Closures Announced'].map(
      (title, i) => makeArticle({ title, file: `stub-${i}.txt` }),
    );
    const result = dedupeArticles(articles);
    expect(result.articles).toEqual(articles);
    expect(result.merges).toEqual([]);
  });

  it('merges empty-body copies only when the normalized titles are identical', () => {
    const a = makeArticle({ title: 'Council Meets Tonight', file: 'a.txt' });
    const b = makeArticle({ title: 'council meets tonight!', file: 'b.txt', authors: ['Ada Kerr'] });
    const c = makeArticle({ title: 'Council Meets Tomorrow', file: 'c.txt' });
    const result = dedupeArticles([a, b, c]);
    expect(result.articles.map((x) => x.sources[0]?.file)).toEqual(['b.txt', 'c.txt']);
  });

  it('never merges an empty-body article into a full story with the same title', () => {
    const stub = makeArticle({ title: ferryStory('x').title, file: 'stub.txt' });
    const full = ferryStory('full.txt');
    expect(dedupeArticles([stub, full]).articles).toHaveLength(2);
  });

  it('compares body-less articles by their highlights', () => {
    const highlights = [
      'The Marlow ferry was suspended after an engine fire with 214 passengers aboard.',
      'Inspectors from the maritime safety agency board the Gannet on Saturday.',
    ];
    const a = makeArticle({ title: 'Ferry Suspended', highlights, file: 'a.txt' });
    const b = makeArticle({ title: 'Ferry suspended', highlights, file: 'b.txt' });
    const other = makeArticle({
      title: 'Ferry Suspended',
      highlights: ['Bakery wins county fair prize for rye bread.', 'Judges praised its crust and its crumb.'],
      file: 'c.txt',
    });
    expect(dedupeArticles([a, b, other]).articles.map((x) => x.sources[0]?.file)).toEqual(['a.txt', 'c.txt']);
  });
});
