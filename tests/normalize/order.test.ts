import { describe, expect, it } from 'vitest';
import { normalizeArticles } from '../../src/normalize/index.ts';
import { article } from '../render/fixtures/index.ts';

describe('item order', () => {
  const options = {
    baseUrl: 'https://news.example.com/',
    now: '2026-11-24T15:00:00Z',
    known: [],
    topicRules: [],
  };

  it('is newest first, equal times broken by id, whatever the input order', () => {
    const articles = [
      article({ title: 'Older', published: '2026-11-01T10:00:00Z' }),
      article({ title: 'Tie B', published: '2026-11-10T10:00:00-05:00' }),
      article({ title: 'Tie A', published: '2026-11-10T15:00:00Z' }),
      article({ title: 'Newest', published: '2026-11-20T10:00:00Z' }),
    ];
    const forward = normalizeArticles(articles, options).items.map((i) => i.title);
    const backward = normalizeArticles([...articles].reverse(), options).items.map((i) => i.title);
    expect(forward).toEqual(['Newest', 'Tie A', 'Tie B', 'Older']);
    expect(backward).toEqual(forward);
  });

  it('warns about an unparsable date and falls back to the first-seen time', () => {
    const result = normalizeArticles([article({ title: 'Bad date', published: 'next Tuesday' })], options);
    expect(result.items[0]?.published).toBe('2026-11-24T15:00:00Z');
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'normalize/invalid-date',
        file: 'articles/bad-date.txt',
        line: 1,
      }),
    ]);
  });

  it('keeps only http(s) canonical URLs', () => {
    const { items } = normalizeArticles(
      [
        article({ title: 'Script', canonicalUrl: 'javascript:alert(1)' }),
        article({ title: 'Web', canonicalUrl: 'https://publisher.example/x' }),
      ],
      options,
    );
    expect(items.map((i) => i.canonicalUrl).sort()).toEqual(['https://publisher.example/x', null]);
  });
});
