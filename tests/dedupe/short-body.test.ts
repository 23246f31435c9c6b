import { describe, expect, it } from 'vitest';
import { dedupeArticles } from '../../src/dedupe/index.ts';
import { makeArticle } from './articles.ts';

describe('articles with a one-line body', () => {
  it('keeps stories apart that share a boilerplate body under different titles', () => {
    const titles = [
      'Video: Storm Hits the Coast',
      'Video: Mayor Opens New Bridge',
      'Video: Harbour Fireworks',
    ];
    const articles = titles.map((title, i) =>
      makeArticle({ title, body: ['Watch the video above.'], file: `video-${i}.txt` }),
    );
    expect(dedupeArticles(articles).articles).toEqual(articles);
  });

  it('merges one-line copies of the same story', () => {
    const a = makeArticle({
      title: 'Video: Storm Hits the Coast',
      body: ['Watch the video above.'],
      file: 'a.txt',
    });
    const b = makeArticle({
      title: 'VIDEO — Storm hits the coast',
      body: ['Watch the video above!'],
      file: 'b.txt',
    });
    expect(dedupeArticles([a, b]).articles).toHaveLength(1);
  });

  it('keeps a short brief apart from a long story that contains its words', () => {
    const long = makeArticle({
      title: 'Council Approves New Cycle Lanes Across the City Centre',
      body: [
        'The city council approved plans on Monday for twelve kilometres of protected cycle lanes across the city centre, to be built over the next two years.',
        'The vote passed by nine votes to four after a debate of more than three hours.',
      ],
      file: 'long.txt',
    });
    const brief = makeArticle({
      title: 'In Brief: Council Vote',
      body: ['The vote passed by nine votes to four.'],
      file: 'brief.txt',
    });
    expect(dedupeArticles([long, brief]).articles).toHaveLength(2);
  });
});
