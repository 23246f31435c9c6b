import { describe, expect, it } from 'vitest';
import { NormalizeMemo, normalizeArticles, type StoredIdentity } from '../../src/normalize/index.ts';
import type { Article } from '../../src/types.ts';
import { article, hostileArticle, sampleArticles } from '../render/fixtures/index.ts';

/** Frozen all the way down: in ESM (strict mode) any write to it throws. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const rules = deepFreeze([{ name: 'City Hall', tags: ['city hall'], keywords: ['council', 'budget'] }]);

describe('normalizeArticles does not change its inputs', () => {
  it('throws nowhere on frozen articles, known identities and related memo, with or without a memo', () => {
    // An untitled story (shown as "Untitled"), a bad date, and the samples' related titles.
    const articles = deepFreeze<Article[]>([
      ...sampleArticles(),
      hostileArticle(),
      article({ title: '', published: 'not a date' }),
    ]);
    const options = { baseUrl: 'https://news.example.com/', now: '2026-11-24T15:00:00Z', topicRules: rules };
    const first = deepFreeze(normalizeArticles(articles, { ...options, known: [] }));
    const known = deepFreeze<StoredIdentity[]>(structuredClone(first.identities));
    const memo = new NormalizeMemo();
    const before = JSON.stringify(articles);
    const cold = normalizeArticles(articles, { ...options, known, relatedMemo: first.relatedMemo });
    const warm1 = deepFreeze(
      normalizeArticles(articles, { ...options, known, relatedMemo: first.relatedMemo, memo }),
    );
    // Warm: the items, identities and memo returned last time are frozen now, and come back.
    const edited = deepFreeze([...articles.slice(1), { ...(articles[0] as Article), body: ['Changed.'] }]);
    const warm2 = normalizeArticles(edited, { ...options, known, relatedMemo: warm1.relatedMemo, memo });
    const warm3 = normalizeArticles(edited, { ...options, known: [], relatedMemo: undefined, memo });
    expect(warm1).toEqual(cold);
    expect(warm2).toEqual(normalizeArticles(edited, { ...options, known, relatedMemo: warm1.relatedMemo }));
    expect(warm3).toEqual(normalizeArticles(edited, { ...options, known: [] }));
    expect(JSON.stringify(articles)).toBe(before);
  });
});
