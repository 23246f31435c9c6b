import { describe, expect, it } from 'vitest';
import { planSite, type SiteOptions } from '../../src/render/index.ts';
import type { Item } from '../../src/types.ts';
import { sampleItems, siteInfo } from './fixtures/index.ts';

// feedLimit 2: the front page lists two stories and the archive page exists.
const options: SiteOptions = { site: siteInfo(), feedLimit: 2, authorFeeds: true, codeVersion: 'v1' };

function plan(change: (item: Item) => Item) {
  const items = sampleItems();
  const edited = items.map((item, i) => (i === 0 ? change(item) : item));
  return new Map(planSite(edited, options).map((file) => [file.path, file]));
}

describe('the front page and the archive', () => {
  it('keep their keys (and bytes) when a story changes only where the lists do not show it', () => {
    const before = plan((item) => item);
    // As normalize makes it: a body edit comes with a new content hash.
    const after = plan((item) => ({
      ...item,
      body: [...item.body, 'A paragraph added later.'],
      contentHash: `${item.contentHash}-edited`,
    }));
    for (const path of ['index.html', 'archive/index.html']) {
      expect(after.get(path)?.key, path).toBe(before.get(path)?.key);
      expect(after.get(path)?.render(), path).toBe(before.get(path)?.render());
    }
    const page = `articles/${sampleItems()[0]?.slug}/index.html`;
    expect(after.get(page)?.key).not.toBe(before.get(page)?.key);
  });

  it.each([
    ['title', (item: Item) => ({ ...item, title: `${item.title}, updated` })],
    ['summary', (item: Item) => ({ ...item, summary: `${item.summary} More.` })],
    ['byline', (item: Item) => ({ ...item, authors: [...item.authors, 'Ana Ruiz'] })],
    ['date', (item: Item) => ({ ...item, published: '2020-01-01T09:00:00Z' })],
    ['slug', (item: Item) => ({ ...item, slug: `${item.slug}-2` })],
  ])('change their keys when the %s a list shows changes', (_, change) => {
    const before = plan((item) => item);
    const after = plan(change);
    expect(after.get('archive/index.html')?.key).not.toBe(before.get('archive/index.html')?.key);
  });
});
