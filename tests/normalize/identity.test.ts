import { describe, expect, it } from 'vitest';
import { normalizeArticles, type StoredIdentity } from '../../src/normalize/index.ts';
import type { Article } from '../../src/types.ts';
import { article, sampleArticles } from '../render/fixtures/index.ts';

const baseUrl = 'https://news.example.com/';
const build = (articles: Article[], known: StoredIdentity[], now: string) =>
  normalizeArticles(articles, { baseUrl, now, known, topicRules: [] });

describe('stable identity', () => {
  it('gives each new story a tag URI with the host, its first-seen date and its slug', () => {
    const { items } = build(sampleArticles(), [], '2026-11-24T15:00:00Z');
    const bridge = items.find((i) => i.title.startsWith('City Council'));
    expect(bridge?.id).toBe('tag:news.example.com,2026-11-24:city-council-approves-harbor-bridge-budget');
    expect(bridge?.url).toBe('https://news.example.com/articles/city-council-approves-harbor-bridge-budget/');
  });

  it('keeps ids, slugs and first-seen dates on a later build with the stored identities', () => {
    const first = build(sampleArticles(), [], '2026-11-24T15:00:00Z');
    const second = build(sampleArticles(), first.identities, '2026-12-01T09:00:00Z');
    expect(second.items.map((i) => [i.id, i.slug, i.published, i.updated])).toEqual(
      first.items.map((i) => [i.id, i.slug, i.published, i.updated]),
    );
  });

  it('dates an undated story by when it was first seen, and does not move it later', () => {
    const undated = article({ title: 'No date given' });
    const first = build([undated], [], '2026-11-24T15:00:00Z');
    expect(first.items[0]?.published).toBe('2026-11-24T15:00:00Z');
    const later = build([undated], first.identities, '2027-01-05T10:00:00Z');
    expect(later.items[0]?.published).toBe('2026-11-24T15:00:00Z');
    expect(later.items[0]?.updated).toBe('2026-11-24T15:00:00Z');
  });

  it('keeps the id of an edited story and sets its updated date to the build time', () => {
    const original = article({ title: 'Budget vote tonight', published: '2026-11-20T08:00:00Z' });
    const first = build([original], [], '2026-11-24T15:00:00Z');
    const edited = { ...original, body: ['A corrected paragraph of body text.'] };
    const second = build([edited], first.identities, '2026-11-25T09:30:00Z');
    expect(second.items[0]?.id).toBe(first.items[0]?.id);
    expect(second.items[0]?.published).toBe('2026-11-20T08:00:00Z');
    expect(second.items[0]?.updated).toBe('2026-11-25T09:30:00Z');
    expect(second.items[0]?.contentHash).not.toBe(first.items[0]?.contentHash);
    // A third build with the same edited text keeps that updated date.
    const third = build([edited], second.identities, '2026-11-26T09:30:00Z');
    expect(third.items[0]?.updated).toBe('2026-11-25T09:30:00Z');
  });

  it('recognises a story whose title changed by its canonical URL', () => {
    const original = article({ title: 'Mayor to resign', canonicalUrl: 'https://publisher.example/a/1' });
    const first = build([original], [], '2026-11-24T15:00:00Z');
    const retitled = {
      ...original,
      title: 'Mayor resigns after vote',
      canonicalUrl: 'https://publisher.example/a/1#top',
    };
    const second = build([retitled], first.identities, '2026-11-25T15:00:00Z');
    expect(second.items[0]?.id).toBe(first.items[0]?.id);
    expect(second.items[0]?.slug).toBe('mayor-to-resign');
  });

  it('recognises a story by its title modulo case, quotes and punctuation', () => {
    const first = build([article({ title: 'The Port’s "Big" Plan' })], [], '2026-11-24T15:00:00Z');
    const moved = article({
      title: "the port's big plan!",
      sources: [{ file: 'articles/other.txt', startLine: 1, endLine: 3 }],
    });
    const second = build([moved], first.identities, '2026-11-25T15:00:00Z');
    expect(second.items[0]?.id).toBe(first.items[0]?.id);
  });

  it('recognises a retitled story in the same file by its text', () => {
    const body = [
      'The harbor authority approved a new ferry route between the north pier and downtown on Monday evening.',
      'Service starts in March and runs every twenty minutes at peak times, officials said.',
    ];
    const original = article({
      title: 'Ferry route approved',
      body,
      sources: [{ file: 'articles/f.txt', startLine: 1, endLine: 9 }],
    });
    const first = build([original], [], '2026-11-24T15:00:00Z');
    const retitled = {
      ...original,
      title: 'New ferry route wins approval',
      body: [...body, 'Fares are unchanged.'],
    };
    const second = build([retitled], first.identities, '2026-11-25T15:00:00Z');
    expect(second.items[0]?.id).toBe(first.items[0]?.id);
    expect(second.items[0]?.updated).toBe('2026-11-25T15:00:00Z');
  });

  it('keeps the id when a retitled re-export in a new file is merged with the stored story', () => {
    const body = [
      'The harbor food bank will deliver four thousand holiday meals this week, twice last year.',
      'Volunteers with cars are still needed on Wednesday to reach homebound residents.',
    ];
    const original = article({
      title: 'Food bank doubles deliveries',
      body,
      sources: [{ file: 'articles/2026-11-24-food-bank.txt', startLine: 1, endLine: 9 }],
    });
    const first = build([original], [], '2026-11-24T15:00:00Z');
    // Dedupe folded the old file into the re-export: the new file is canonical, the old one kept.
    const reexport = {
      ...original,
      title: 'Food bank triples deliveries',
      body: [...body, 'Donations closed on Tuesday.'],
      sources: [
        { file: 'articles/2026-11-25-food-bank-update.txt', startLine: 1, endLine: 10 },
        { file: 'articles/2026-11-24-food-bank.txt', startLine: 1, endLine: 9 },
      ],
    };
    const second = build([reexport], first.identities, '2026-11-25T15:00:00Z');
    expect(second.items[0]?.id).toBe(first.items[0]?.id);
    expect(second.items[0]?.slug).toBe('food-bank-doubles-deliveries');
  });

  it('does not take a different story in the same file for an edit', () => {
    const first = build(
      [
        article({
          title: 'Ferry route approved',
          sources: [{ file: 'articles/f.txt', startLine: 1, endLine: 9 }],
        }),
      ],
      [],
      '2026-11-24T15:00:00Z',
    );
    const other = article({
      title: 'School board elects chair',
      body: ['Trustees chose a new chair in a unanimous vote after a long closed session.'],
      sources: [{ file: 'articles/f.txt', startLine: 1, endLine: 9 }],
    });
    const second = build([other], first.identities, '2026-11-25T15:00:00Z');
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
  });

  it('makes slugs unique and never reuses a stored slug for another story', () => {
    const first = build([article({ title: 'Weather', body: ['Sunny.'] })], [], '2026-11-24T15:00:00Z');
    const two = [
      article({
        title: 'Weather!',
        body: ['Rain later.'],
        sources: [{ file: 'articles/b.txt', startLine: 1, endLine: 2 }],
      }),
      article({
        title: 'Weather?',
        body: ['Snow.'],
        sources: [{ file: 'articles/c.txt', startLine: 1, endLine: 2 }],
      }),
    ];
    // "Weather!" matches the stored story by title; "Weather?" is a new story and needs a new slug.
    const second = build(two, first.identities, '2026-11-25T15:00:00Z');
    const slugs = second.items.map((i) => i.slug).sort();
    expect(slugs).toEqual(['weather', 'weather-2']);
  });

  it('gives a title without Latin letters a stable hash slug', () => {
    const a = build([article({ title: 'Новости дня' })], [], '2026-11-24T15:00:00Z');
    const b = build([article({ title: 'Новости дня' })], [], '2026-11-24T15:00:00Z');
    expect(a.items[0]?.slug).toMatch(/^story-[0-9a-f]{10}$/);
    expect(a.items[0]?.slug).toBe(b.items[0]?.slug);
  });

  it('keeps a stored story with its own copy when a new story with the same title arrives', () => {
    const original = article({
      title: 'Weather',
      body: ['Sunny skies all week along the harbor, forecasters said on Monday.'],
      sources: [{ file: 'articles/b.txt', startLine: 1, endLine: 4 }],
    });
    const first = build([original], [], '2026-11-24T15:00:00Z');
    // a.txt sorts first and carries a different story under the same headline.
    const newcomer = article({
      title: 'Weather',
      body: ['Snow is expected in the hills by Friday, with roads likely closed.'],
      sources: [{ file: 'articles/a.txt', startLine: 1, endLine: 4 }],
    });
    const second = build([newcomer, original], first.identities, '2026-11-25T15:00:00Z');
    const kept = second.items.find((i) => i.sources[0]?.file === 'articles/b.txt');
    const added = second.items.find((i) => i.sources[0]?.file === 'articles/a.txt');
    expect(kept?.id).toBe(first.items[0]?.id);
    expect(added?.id).not.toBe(first.items[0]?.id);
    expect(added?.slug).toBe('weather-2');
  });
});
