import { describe, expect, it } from 'vitest';
import { contentHashOf, NormalizeMemo, normalizeArticles } from '../../src/normalize/index.ts';
import type { Article } from '../../src/types.ts';
import { article, hostileArticle, sampleArticles } from '../render/fixtures/index.ts';

/**
 * A story's content hash (normalize's edit detector) is worked out when its file is parsed and
 * kept beside the parse; a rebuild hands it back (`knownHashes`) instead of hashing the text
 * again. The kept hash must be the very hash normalize gives the story, for any story (cleaned
 * text, no title), and the one normalize then uses.
 */
const options = { baseUrl: 'https://news.example.com/', now: '2026-11-24T15:00:00Z', topicRules: [] };

const stories = (): Article[] => [
  ...sampleArticles(),
  // Control characters and bidi overrides that cleaning removes, and a story with no title.
  hostileArticle(),
  article({ title: '', body: ['A paragraph\u0007 with a bell\u202e and an override.'] }),
  article({ title: '  Spaced\u0000 title ', highlights: ['\u200f'], body: [' trimmed ', ''] }),
];

describe('content hashes kept from the parse', () => {
  it('are the hashes normalize gives the items, for every kind of story', () => {
    const articles = stories();
    const { identities } = normalizeArticles(articles, { ...options, known: [] });
    // Identities come in source order; match them back by source.
    const bySource = new Map(identities.map((identity) => [identity.sourceFile, identity.contentHash]));
    expect(bySource.size).toBeGreaterThan(3);
    for (const story of articles) {
      expect(contentHashOf(story), story.title).toBe(bySource.get(story.sources[0]?.file ?? null));
    }
  });

  it('are used as given, with and without a memo, and give the items of a build that hashes', () => {
    const articles = stories();
    const plain = normalizeArticles(articles, { ...options, known: [] });
    const kept = new Map(articles.map((story) => [story, contentHashOf(story)]));
    const knownHashes = (story: Article) => kept.get(story);
    expect(normalizeArticles(articles, { ...options, known: [], knownHashes })).toEqual(plain);
    expect(
      normalizeArticles(articles, { ...options, known: [], knownHashes, memo: new NormalizeMemo() }),
    ).toEqual(plain);

    // A hash that says otherwise is believed (it is what was kept): the story reads as edited.
    const first = articles[0] as Article;
    const forged = (story: Article) => (story === first ? 'f'.repeat(32) : kept.get(story));
    for (const memo of [undefined, new NormalizeMemo()]) {
      const result = normalizeArticles(articles, {
        ...options,
        known: plain.identities,
        knownHashes: forged,
        now: '2026-11-25T09:00:00Z',
        ...(memo ? { memo } : {}),
      });
      const edited = result.identities.filter((identity) => identity.editedAt !== null);
      expect(edited.map((identity) => identity.contentHash)).toEqual(['f'.repeat(32)]);
    }
  });
});
