import { describe, expect, it } from 'vitest';
import { NormalizeMemo, normalizeArticles } from '../../src/normalize/index.ts';
import { planSite, RenderMemo } from '../../src/render/index.ts';
import type { Article, Item } from '../../src/types.ts';
import { collectLater } from '../helpers/heap.ts';
import { article, siteInfo } from '../render/fixtures/index.ts';

const options = { baseUrl: 'https://news.example.com/', now: '2026-11-24T15:00:00Z', topicRules: [] };
const siteOptions = { site: siteInfo(), feedLimit: 5, authorFeeds: true, codeVersion: 'v1' };

function build(articles: Article[], normalizeMemo: NormalizeMemo, renderMemo: RenderMemo): Item[] {
  const { items } = normalizeArticles(articles, { ...options, known: [], memo: normalizeMemo });
  planSite(items, siteOptions, renderMemo);
  return items;
}

describe('memos do not keep what is no longer passed', () => {
  it('lets articles and items of earlier builds be collected', async () => {
    const normalizeMemo = new NormalizeMemo();
    const renderMemo = new RenderMemo();
    const kept = article({ title: 'Kept story', authors: ['Ana Ruiz'] });
    const refs = ((): { article: WeakRef<Article>; item: WeakRef<Item> } => {
      const gone = article({ title: 'Removed story', authors: ['Ben Okafor'], related: ['Kept story'] });
      const items = build([kept, gone], normalizeMemo, renderMemo);
      const item = items.find((i) => i.title === 'Removed story') as Item;
      return { article: new WeakRef(gone), item: new WeakRef(item) };
    })();
    // Two more builds without it: the memos keep at most the last build's work.
    build([kept], normalizeMemo, renderMemo);
    build([kept], normalizeMemo, renderMemo);
    await collectLater();
    expect(refs.article.deref()).toBeUndefined();
    expect(refs.item.deref()).toBeUndefined();
    // The memos are still in use (and so still reachable) here.
    expect(build([kept], normalizeMemo, renderMemo)).toHaveLength(1);
  });
});
