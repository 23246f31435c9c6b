import { describe, expect, it } from 'vitest';
import { planSite, type SiteOptions } from '../../src/render/index.ts';
import type { Item } from '../../src/types.ts';
import { sampleItems, siteInfo } from './fixtures/index.ts';

// feedLimit 2: the front page lists two stories and the archive exists. The first sample item
// (no date: first seen 2026-11-24) is November 2026's only story; the other three are July 2025's.
// The first has no highlights (its summary is cut from its body); the fourth has highlights.
const NOVEMBER = 'archive/2026/11/index.html';
const JULY = 'archive/2025/07/index.html';
const HIGHLIGHTED = 3;
const options: SiteOptions = { site: siteInfo(), feedLimit: 2, authorFeeds: true, codeVersion: 'v1' };

function plan(change: (item: Item) => Item, at = 0) {
  const items = sampleItems();
  const edited = items.map((item, i) => (i === at ? change(item) : item));
  return new Map(planSite(edited, options).map((file) => [file.path, file]));
}

/** A paragraph added after the lead, as normalize makes it: a body edit comes with a new content hash. */
const bodyEdited = (item: Item): Item => ({
  ...item,
  body: [...item.body, 'A paragraph added later.'],
  contentHash: `${item.contentHash}-edited`,
});

describe('the front page and the archive', () => {
  it('keep their keys (and bytes) when a story changes only where the lists do not show it', () => {
    expect(sampleItems()[HIGHLIGHTED]?.highlights.length).toBeGreaterThan(0);
    const before = plan((item) => item, HIGHLIGHTED);
    const after = plan(bodyEdited, HIGHLIGHTED);
    for (const path of ['index.html', 'archive/index.html', NOVEMBER, JULY]) {
      expect(after.get(path)?.key, path).toBe(before.get(path)?.key);
      expect(after.get(path)?.render(), path).toBe(before.get(path)?.render());
    }
    const page = `articles/${sampleItems()[HIGHLIGHTED]?.slug}/index.html`;
    expect(after.get(page)?.key).not.toBe(before.get(page)?.key);
  });

  it('re-key only its own month when a story whose summary is cut from its body is edited there', () => {
    // Its summary is keyed by the content hash (working it out would load a paged body): the
    // month is rendered again, to the same bytes, and no other list is.
    expect(sampleItems()[0]?.highlights).toEqual([]);
    const before = plan((item) => item);
    const after = plan(bodyEdited);
    expect(after.get(NOVEMBER)?.key).not.toBe(before.get(NOVEMBER)?.key);
    expect(after.get(NOVEMBER)?.render()).toBe(before.get(NOVEMBER)?.render());
    expect(after.get(JULY)?.key).toBe(before.get(JULY)?.key);
    expect(after.get('archive/index.html')?.key).toBe(before.get('archive/index.html')?.key);
  });

  it.each([
    ['title', (item: Item) => ({ ...item, title: `${item.title}, updated` })],
    // As normalize makes it: the summary is cut from the lead paragraph, under a new content hash.
    [
      'summary',
      (item: Item) => ({
        ...item,
        body: [`${item.body[0]} More.`, ...item.body.slice(1)],
        summary: `${item.summary} More.`,
        contentHash: `${item.contentHash}-edited`,
      }),
    ],
    ['byline', (item: Item) => ({ ...item, authors: [...item.authors, 'Ana Ruiz'] })],
    ['slug', (item: Item) => ({ ...item, slug: `${item.slug}-2` })],
  ])("change their month page's key when the %s a list shows changes, and no other month's", (_, change) => {
    const before = plan((item) => item);
    const after = plan(change);
    expect(after.get(NOVEMBER)?.key).not.toBe(before.get(NOVEMBER)?.key);
    // The same months with the same counts: the index of months and July are as they were.
    expect(after.get('archive/index.html')?.key).toBe(before.get('archive/index.html')?.key);
    expect(after.get(JULY)?.key).toBe(before.get(JULY)?.key);
  });

  it('move a story to its new month when its date changes, and re-key the index of months', () => {
    const before = plan((item) => item);
    const after = plan((item) => ({ ...item, published: '2020-01-01T09:00:00Z' }));
    expect(before.has(NOVEMBER)).toBe(true);
    expect(after.has(NOVEMBER)).toBe(false);
    expect(after.get('archive/2020/01/index.html')?.render()).toContain(
      `articles/${sampleItems()[0]?.slug}/`,
    );
    expect(after.get('archive/index.html')?.key).not.toBe(before.get('archive/index.html')?.key);
    // July's neighbour on the newer side is gone: its prev/next links changed.
    expect(after.get(JULY)?.key).not.toBe(before.get(JULY)?.key);
  });
});
