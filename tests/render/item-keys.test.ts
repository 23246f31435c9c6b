import { describe, expect, it } from 'vitest';
import { pageText } from '../../src/ingest/index.ts';
import { createRenderKeys } from '../../src/render/keys.ts';
import type { Article, Item } from '../../src/types.ts';
import { article, sampleItems, siteInfo } from './fixtures/index.ts';

// An item's render key stands for everything its outputs show of it. The text (title, authors,
// highlights, body, analysis, format, and the summary made of them) enters through the content
// hash normalize gives the story; the rest field by field.

const keyOf = (item: Item): string => createRenderKeys(siteInfo(), {}, 'v1').item(item);

/** The one story of `articles` with this title, as the build would make it. */
const itemTitled = (title: string, articles: Article[]): Item => {
  const found = sampleItems(articles).find((item) => item.title === title);
  if (!found) throw new Error(`no item titled ${title}`);
  return found;
};

/** Two stories in their own files, the first given `edit`: its item, as built. */
function editedItem(edit: Partial<Article>): Item {
  const story = article({
    title: 'Harbor Ferry Resumes',
    authors: ['Ana Ruiz'],
    highlights: [],
    body: ['The ferry runs again from Monday.', 'Tickets are unchanged.'],
    published: '2026-11-20T09:00:00-05:00',
    ...edit,
  });
  const other = article({ title: 'Council Meets', published: '2026-11-21T09:00:00-05:00' });
  return itemTitled(story.title, [story, other]);
}

describe('an item’s render key', () => {
  it('changes with every part of the text a reader sees, through the content hash', () => {
    const base = editedItem({});
    const edits: Partial<Article>[] = [
      { title: 'Harbor Ferry Resumes Service' },
      { authors: ['Ana Ruiz', 'Lee Park'] },
      { highlights: ['The ferry is back.'] },
      { body: ['The ferry runs again from Tuesday.', 'Tickets are unchanged.'] },
      { analysis: ['Commuters gain an hour.'] },
      { format: 'markdown' },
    ];
    for (const edit of edits) {
      const edited = editedItem(edit);
      expect(edited.contentHash, JSON.stringify(edit)).not.toBe(base.contentHash);
      expect(keyOf(edited), JSON.stringify(edit)).not.toBe(keyOf(base));
    }
  });

  it('changes with what normalize adds to the story: dates, related links, topics, its files', () => {
    const base = editedItem({});
    const changes: Partial<Item>[] = [
      { updated: '2026-11-22T10:00:00.000Z' },
      {
        related: [
          { title: 'Council Meets', url: 'https://news.example.com/articles/council-meets/', itemId: null },
        ],
      },
      { topics: [{ name: 'Transport', slug: 'transport' }] },
      { sources: [{ file: 'articles/elsewhere.txt', startLine: 3, endLine: 9 }] },
      { url: 'https://news.example.com/articles/harbor-ferry-resumes-2/' },
    ];
    for (const change of changes) {
      const changed = { ...base, ...change } as Item;
      expect(keyOf(changed), JSON.stringify(change)).not.toBe(keyOf(base));
    }
  });

  it('is the same for the story built twice, and for its text paged', () => {
    const item = editedItem({});
    expect(keyOf(editedItem({}))).toBe(keyOf(item));
    expect(keyOf(pageText(item, () => ({ body: item.body, analysis: item.analysis })))).toBe(keyOf(item));
  });

  it('never loads paged text, not even for a summary made from the lead paragraph', () => {
    const item = editedItem({});
    // No highlights: the summary is cut from the body, which is loaded when the summary is read.
    expect(item.highlights).toEqual([]);
    const paged = pageText(item, () => {
      throw new Error('the text was loaded');
    });
    expect(() => paged.summary).toThrow('the text was loaded');
    expect(keyOf(paged)).toBe(keyOf(item));
  });
});
