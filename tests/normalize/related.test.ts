import { describe, expect, it } from 'vitest';
import { createRelatedIndex, normalizeArticles } from '../../src/normalize/index.ts';
import { article, sampleArticles } from '../render/fixtures/index.ts';

const targets = [
  { id: 'tag:x,2026-01-01:fed', title: 'Fed Raises Rates Again', url: 'https://x/articles/fed/' },
  { id: 'tag:x,2026-01-01:port', title: 'The Port’s “Big” Expansion Plan', url: 'https://x/articles/port/' },
  {
    id: 'tag:x,2026-01-01:school',
    title: 'School Board Elects New Chair',
    url: 'https://x/articles/school/',
  },
];

describe('related title resolution', () => {
  const index = createRelatedIndex(targets);

  it.each([
    ['case and spacing', 'fed   raises RATES again', 'fed'],
    ['straight vs curly quotes and punctuation', 'The Port\'s "Big" Expansion Plan!', 'port'],
    ['a dropped article word', 'Port’s Big Expansion Plan', 'port'],
    ['a singular/plural change', 'Fed Raises Rate Again', 'fed'],
    ['a small wording change', 'School board elects a new chair', 'school'],
    ['the README example', 'The Fed raises rate again', 'fed'],
  ])('links despite %s', (_case, title, slug) => {
    const link = index.resolve(title);
    expect(link.url).toBe(`https://x/articles/${slug}/`);
    expect(link.itemId).toBe(`tag:x,2026-01-01:${slug}`);
    expect(link.title).toBe(title.replace(/\s+/g, ' ').trim());
  });

  it.each(['Fed holds rates steady', 'Port strike enters second week', 'A story we never published'])(
    'leaves "%s" as text: no dead or wrong link',
    (title) => {
      expect(index.resolve(title)).toEqual({ title, url: null, itemId: null });
    },
  );

  it('never links a story to itself', () => {
    expect(index.resolve('Fed Raises Rates Again', 'tag:x,2026-01-01:fed').url).toBeNull();
  });

  it('resolves related titles during normalize, keeping the title as the article wrote it', () => {
    const { items } = normalizeArticles(sampleArticles(), {
      baseUrl: 'https://news.example.com/',
      now: '2026-11-24T15:00:00Z',
      known: [],
      topicRules: [],
    });
    const commuters = items.find((i) => i.slug === 'harbor-bridge-what-the-vote-means-for-commuters');
    expect(commuters?.related).toEqual([
      {
        title: '“City council approves harbor-bridge budget”',
        url: 'https://news.example.com/articles/city-council-approves-harbor-bridge-budget/',
        itemId: 'tag:news.example.com,2026-11-24:city-council-approves-harbor-bridge-budget',
      },
    ]);
    const bridge = items.find((i) => i.slug === 'city-council-approves-harbor-bridge-budget');
    expect(bridge?.related.map((r) => r.url)).toEqual([commuters?.url, null]);
  });

  it('drops empty related titles', () => {
    const { items } = normalizeArticles([article({ title: 'Lonely', related: ['', '   '] })], {
      baseUrl: 'https://news.example.com/',
      now: '2026-11-24T15:00:00Z',
      known: [],
      topicRules: [],
    });
    expect(items[0]?.related).toEqual([]);
  });
});
