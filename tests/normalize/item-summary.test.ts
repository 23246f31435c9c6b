import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { forgetRecentText, pageText } from '../../src/ingest/index.ts';
import { summarize } from '../../src/normalize/index.ts';
import type { Article, Item } from '../../src/types.ts';
import { makeItem as plainItem } from '../newsletter/helpers.ts';
import { sampleArticles, sampleItems } from '../render/fixtures/index.ts';

// An item's summary is worked out from its highlights (or lead paragraph) when read, not kept:
// kept, the summaries were ~55 MiB of a 100k build's peak heap. It must still look like a plain
// field (JSON, key order, spreads), and items must stay plain fast objects: an item that falls
// into V8's dictionary mode costs ~1.6 KB more, which is more than the summary saved.

setFlagsFromString('--allow-natives-syntax');
// Compiled after the flag is set: V8 intrinsics, to see how V8 lays the objects out.
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** The key order of an Item written as a plain literal (the order every earlier build had). */
const KEYS = Object.keys(plainItem());

let loads = 0;

/** The same article with its text paged: loaded through a function on every read (counted). */
function paged(article: Article): Article {
  const text = { body: [...article.body], analysis: [...article.analysis] };
  return pageText({ ...article }, () => {
    loads++;
    return { body: [...text.body], analysis: [...text.analysis] };
  });
}

const items = (articles: Article[]): Item[] => sampleItems(articles);

describe('an item’s summary', () => {
  it('is worked out from the item on every read, in its usual place among the keys', () => {
    const all = items(sampleArticles());
    expect(all.length).toBeGreaterThan(2);
    expect(all.some((item) => item.highlights.length === 0)).toBe(true);
    for (const item of all) {
      expect(Object.getOwnPropertyDescriptor(item, 'summary')?.get).toBeTypeOf('function');
      expect(item.summary).toBe(summarize(item.highlights, item.body, item.format));
      expect(Object.keys(item)).toEqual(KEYS);
      const json = JSON.parse(JSON.stringify(item)) as Item;
      expect(json.summary).toBe(item.summary);
      expect({ ...item }.summary).toBe(item.summary);
    }
  });

  it('is the same whether the story’s text is in memory or paged', () => {
    const plain = items(sampleArticles());
    const fromPaged = items(sampleArticles().map(paged));
    expect(fromPaged.map((item) => JSON.stringify(item))).toEqual(plain.map((item) => JSON.stringify(item)));
  });

  it('reads a paged body only for a story without highlights, once', () => {
    const all = items(sampleArticles().map(paged));
    const withHighlights = all.filter((item) => item.highlights.length > 0);
    const without = all.filter((item) => item.highlights.length === 0);
    expect(withHighlights.length).toBeGreaterThan(0);
    expect(without.length).toBeGreaterThan(0);
    forgetRecentText();
    loads = 0;
    for (const item of withHighlights) expect(item.summary.length).toBeGreaterThan(0);
    expect(loads).toBe(0);
    for (const item of without) expect(item.summary.length).toBeGreaterThan(0);
    const first = loads;
    expect(first).toBeGreaterThan(0);
    forgetRecentText();
    for (const item of without) expect(item.summary.length).toBeGreaterThan(0);
    expect(loads).toBe(first);
  });

  it('leaves items fast objects of one shape, paged or not', () => {
    for (const list of [items(sampleArticles()), items(sampleArticles().map(paged))]) {
      const [first, ...rest] = list as [Item, ...Item[]];
      for (const item of list) expect(hasFastProperties(item)).toBe(true);
      for (const item of rest) expect(haveSameMap(first, item)).toBe(true);
    }
  });
});
