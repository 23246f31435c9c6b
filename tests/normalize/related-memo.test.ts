import { describe, expect, it } from 'vitest';
import { normalizeArticles, type RelatedMemo } from '../../src/normalize/index.ts';
import { hostileArticle, sampleArticles } from '../render/fixtures/index.ts';

const options = {
  baseUrl: 'https://news.example.com/',
  now: '2026-11-24T15:00:00Z',
  known: [],
  topicRules: [],
};
const articles = () => [...sampleArticles(), hostileArticle()];

describe('the related-link memo', () => {
  const first = normalizeArticles(articles(), options);
  const asked = first.items.reduce((n, item) => n + item.related.length, 0);

  it('holds one link per related title asked, and gives the same items when reused', () => {
    expect(asked).toBeGreaterThan(2);
    expect(Object.keys(first.relatedMemo.links)).toHaveLength(asked);
    const again = normalizeArticles(articles(), { ...options, relatedMemo: first.relatedMemo });
    expect(again.items).toEqual(first.items);
    expect(again.relatedMemo).toEqual(first.relatedMemo);
  });

  it('is used while the stories are the same (a planted answer comes back)', () => {
    const resolved = first.items.flatMap((item) => item.related).filter((link) => link.itemId !== null);
    expect(resolved.length).toBeGreaterThan(0);
    const [key] = Object.entries(first.relatedMemo.links).find(([, rank]) => rank >= 0) as [string, number];
    const planted: RelatedMemo = {
      targets: first.relatedMemo.targets,
      links: { ...first.relatedMemo.links, [key]: -1 },
    };
    const reused = normalizeArticles(articles(), { ...options, relatedMemo: planted });
    const stillResolved = reused.items.flatMap((item) => item.related).filter((link) => link.itemId !== null);
    expect(stillResolved.length).toBe(resolved.length - 1);
  });

  it('is ignored once any story it could point at changed, or when damaged', () => {
    const links = Object.fromEntries(Object.keys(first.relatedMemo.links).map((key) => [key, -1]));
    const stale: RelatedMemo = { targets: 'another set of stories', links };
    expect(normalizeArticles(articles(), { ...options, relatedMemo: stale }).items).toEqual(first.items);
    const damaged: RelatedMemo = {
      targets: first.relatedMemo.targets,
      links: Object.fromEntries(Object.keys(first.relatedMemo.links).map((key) => [key, 10_000])),
    };
    expect(normalizeArticles(articles(), { ...options, relatedMemo: damaged }).items).toEqual(first.items);
    // A retitled story changes the set: the memo made before it is not trusted.
    const retitled = articles().map((a, i) => (i === 0 ? { ...a, title: `${a.title} (updated)` } : a));
    const after = normalizeArticles(retitled, { ...options, relatedMemo: first.relatedMemo });
    expect(after.relatedMemo.targets).not.toBe(first.relatedMemo.targets);
  });
});
