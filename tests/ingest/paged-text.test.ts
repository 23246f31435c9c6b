import { describe, expect, it } from 'vitest';
import { dedupeArticles } from '../../src/dedupe/index.ts';
import {
  forgetRecentText,
  isPaged,
  pageText,
  type StoryText,
  withFields,
  withoutText,
} from '../../src/ingest/index.ts';
import { normalizeArticles } from '../../src/normalize/index.ts';
import { cleanArticle } from '../../src/normalize/steps.ts';
import type { Article } from '../../src/types.ts';
import { ferryParagraphs, ferryStory } from '../dedupe/story.ts';

/** A paged copy of `article`: same fields, its text loaded from a copy on every read (counted). */
function paged(article: Article): { article: Article; loads: () => number } {
  const text: StoryText = { body: [...article.body], analysis: [...article.analysis] };
  let loads = 0;
  const copy = pageText({ ...article }, () => {
    loads++;
    return { body: [...text.body], analysis: [...text.analysis] };
  });
  return { article: copy, loads: () => loads };
}

const withAnalysis = (file: string, changes: Partial<Article> = {}) =>
  ferryStory(file, { analysis: ['  The operator faces a fine.\u0007 ', 'Fares may rise.'], ...changes });

describe('paged story text', () => {
  it('is loaded on every read and kept nowhere on the object', () => {
    forgetRecentText();
    const plain = withAnalysis('a.txt');
    const { article, loads } = paged(plain);
    expect(isPaged(article)).toBe(true);
    expect(Object.getOwnPropertyDescriptor(article, 'body')?.get).toBeTypeOf('function');
    expect(article.body).toEqual(plain.body);
    expect(article.analysis).toEqual(plain.analysis);
    // Keys in the same order, so JSON (render keys, edition JSON) is the same bytes.
    expect(JSON.stringify(article)).toBe(JSON.stringify(plain));
    expect(Object.keys(article)).toEqual(Object.keys(plain));
    expect(loads()).toBe(1); // the reads above came from the recent texts
  });

  it('stays paged through a copy with changed fields, and a field list that leaves it out', () => {
    const plain = withAnalysis('a.txt');
    const { article, loads } = paged(plain);
    forgetRecentText();
    const renamed = withFields(article, { title: 'Untitled' });
    expect(isPaged(renamed)).toBe(true);
    expect(JSON.stringify(renamed)).toBe(JSON.stringify({ ...plain, title: 'Untitled' }));
    const before = loads();
    forgetRecentText();
    expect(Object.keys(withoutText(article))).not.toContain('body');
    expect(loads()).toBe(before);
  });

  it('is cleaned on load as text in memory is cleaned once', () => {
    const plain = withAnalysis('a.txt');
    const cleaned = cleanArticle(paged(plain).article);
    expect(isPaged(cleaned)).toBe(true);
    expect(JSON.stringify(cleaned)).toBe(JSON.stringify(cleanArticle(plain)));
  });

  it('merges like text in memory: the body of the canonical copy, the analysis of the best copy that has one', () => {
    // The full, bylined copy has no analysis; the truncated one has.
    const make = () => [
      withAnalysis('a/truncated.txt', { body: ferryParagraphs.slice(0, 1) }),
      ferryStory('b/full.txt', { authors: ['Nils Aberg'] }),
    ];
    const plain = dedupeArticles(make()).articles;
    const fromPaged = dedupeArticles(make().map((article) => paged(article).article)).articles;
    expect(plain).toHaveLength(1);
    expect(plain[0]?.analysis).toHaveLength(2);
    expect(isPaged(fromPaged[0] as Article)).toBe(true);
    expect(JSON.stringify(fromPaged)).toBe(JSON.stringify(plain));
  });

  it('gives the same items, and paged items, after normalizing', () => {
    const make = () => [withAnalysis('a.txt'), ferryStory('b.txt', { title: 'Another ferry story' })];
    const options = {
      baseUrl: 'https://news.example.com/',
      now: '2026-11-25T00:00:00Z',
      known: [],
      topicRules: [],
    };
    const plain = normalizeArticles(make(), options);
    const fromPaged = normalizeArticles(
      make().map((article) => paged(article).article),
      options,
    );
    expect(fromPaged.items.every(isPaged)).toBe(true);
    expect(JSON.stringify(fromPaged.items)).toBe(JSON.stringify(plain.items));
    expect(JSON.stringify(fromPaged.identities)).toBe(JSON.stringify(plain.identities));
  });
});
