import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { hashArticleContent } from '../../src/normalize/identity.ts';
import { normalizeArticles } from '../../src/normalize/index.ts';
import type { Item } from '../../src/types.ts';
import { heapLater } from '../helpers/heap.ts';
import { article, sampleItems } from '../render/fixtures/index.ts';

// Items live from normalize to the last written page: at 100k stories every string an item
// keeps twice is tens of MiB of a build's peak.

/** A new string instance with the same characters, as a parser gives for each place it reads. */
function freshCopy(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

const STORIES = 400;
const RELATED_EACH = 10;
const TITLE_CHARS = 2_000;

function titleOf(n: number): string {
  return `Story ${n} ${'about the harbor '.repeat(TITLE_CHARS / 17)}`.slice(0, TITLE_CHARS);
}

/** Items of stories whose related titles name other stories word for word (fresh strings). */
function normalizeCrossLinked(): Item[] {
  const articles = Array.from({ length: STORIES }, (_, n) =>
    article({
      title: titleOf(n),
      published: `2026-11-${String(1 + (n % 20)).padStart(2, '0')}T12:00:00Z`,
      related: Array.from({ length: RELATED_EACH }, (_, k) => freshCopy(titleOf((n + k + 1) % STORIES))),
    }),
  );
  return sampleItems(articles);
}

describe('what items keep', () => {
  it('a related title that names a story word for word shares that story’s title string', async () => {
    const items = normalizeCrossLinked();
    const titleById = new Map(items.map((item) => [item.id, item.title]));
    const linked = items.flatMap((item) =>
      item.related.map((link) => link.title === titleById.get(link.itemId ?? '')),
    );
    expect(linked).toHaveLength(STORIES * RELATED_EACH);
    expect(linked.every(Boolean)).toBe(true);
    // What the links keep that nothing else does: dropped, copies would free 4,000 × 2,000
    // characters (8 MB); shared titles leave only the link objects (~0.3 MB).
    const withLinks = await heapLater();
    for (const item of items) item.related = [];
    const keptByLinks = withLinks - (await heapLater());
    expect(keptByLinks).toBeLessThan((STORIES * RELATED_EACH * TITLE_CHARS) / 4);
  });

  it('stories with the same topics share one frozen list', () => {
    const topicRules = configSchema.parse({
      feeds: {
        topics: [
          { name: 'Transit', keywords: ['ferry'] },
          { name: 'Climate', keywords: ['flood'] },
        ],
      },
    }).feeds.topics;
    const story = (title: string, tags: string[] = []) =>
      article({ title, tags, published: '2026-11-20T12:00:00Z' });
    const { items } = normalizeArticles(
      [
        story('Ferry service resumes'),
        story('New ferry route'),
        story('Ferry dock flood warning', ['Harbor']),
        story('Flood ferry plan', ['Harbor']),
        story('Ferry strike'),
      ],
      { baseUrl: 'https://news.example.com/', now: '2026-11-24T15:00:00Z', known: [], topicRules },
    );
    const topicsOf = (title: string) => items.find((item) => item.title === title)?.topics;
    expect(topicsOf('Ferry service resumes')).toEqual([{ slug: 'transit', name: 'Transit' }]);
    expect(topicsOf('Ferry dock flood warning')).toEqual([
      { slug: 'transit', name: 'Transit' },
      { slug: 'climate', name: 'Climate' },
      { slug: 'harbor', name: 'Harbor' },
    ]);
    expect(topicsOf('New ferry route')).toBe(topicsOf('Ferry service resumes'));
    expect(topicsOf('Ferry strike')).toBe(topicsOf('Ferry service resumes'));
    expect(topicsOf('Flood ferry plan')).toBe(topicsOf('Ferry dock flood warning'));
    // Shared, so no stage may change one story's list in place.
    expect(Object.isFrozen(topicsOf('Ferry strike'))).toBe(true);
    expect(Object.isFrozen(topicsOf('Ferry strike')?.[0])).toBe(true);
  });

  it('an item’s content hash is a string of its own, not a slice that keeps the whole digest', async () => {
    const story = article({ title: 'Hashed story' });
    const count = 50_000;
    const before = await heapLater();
    const hashes = Array.from({ length: count }, (_, n) =>
      hashArticleContent({ ...story, title: `Story ${n}` }),
    );
    const perHash = ((await heapLater()) - before) / count;
    expect(hashes[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(hashes).size).toBe(count);
    // 32 characters on their own are 48 bytes (+ 8 for the array slot); a slice of the 64-character
    // hex digest is 32 bytes plus the 80-byte digest it keeps.
    expect(perHash).toBeLessThan(90);
  });
});
