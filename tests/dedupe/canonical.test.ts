import { describe, expect, it } from 'vitest';
import { dedupeArticles } from '../../src/dedupe/index.ts';
import { ferryParagraphs, ferryStory } from './story.ts';

const truncatedBody = [ferryParagraphs[0] as string, (ferryParagraphs[1] as string).slice(0, 60)];

describe('canonical copy', () => {
  it('prefers the full body over a truncated one, even when the truncated copy has the byline', () => {
    const truncated = ferryStory('a/truncated.txt', { body: truncatedBody, authors: ['Nils Aberg'] });
    const full = ferryStory('b/full.txt');
    const [article] = dedupeArticles([truncated, full]).articles;
    expect(article?.body).toEqual(ferryParagraphs);
    expect(article?.sources[0]?.file).toBe('b/full.txt');
    // The byline it lacked comes from the other copy.
    expect(article?.authors).toEqual(['Nils Aberg']);
  });

  it('prefers a byline over none, then a date over none, then more highlights', () => {
    const plain = ferryStory('a.txt');
    const dated = ferryStory('b.txt', { published: '2026-04-03T09:00:00.000+01:00' });
    const bylined = ferryStory('c.txt', { authors: ['Nils Aberg'] });
    const highlighted = ferryStory('d.txt', { highlights: ['Service suspended.', 'No injuries.'] });
    const pick = (...copies: ReturnType<typeof ferryStory>[]) =>
      dedupeArticles(copies).articles[0]?.sources[0]?.file;
    expect(pick(plain, dated, bylined, highlighted)).toBe('c.txt');
    expect(pick(plain, dated, highlighted)).toBe('b.txt');
    expect(pick(plain, highlighted)).toBe('d.txt');
  });

  it('breaks ties by source path, then line, whatever the input order', () => {
    const later = ferryStory('exports/b.txt', {}, 1);
    const second = ferryStory('exports/a.txt', {}, 90);
    const first = ferryStory('exports/a.txt', {}, 12);
    const result = dedupeArticles([later, second, first]);
    expect(result.articles[0]?.sources.map((s) => `${s.file}:${s.startLine}`)).toEqual([
      'exports/a.txt:12',
      'exports/a.txt:90',
      'exports/b.txt:1',
    ]);
  });

  it('fills every missing piece of metadata from the other copies', () => {
    const canonical = ferryStory('a.txt', {
      authors: ['Nils Aberg'],
      published: '2026-04-03T09:00:00.000+01:00',
    });
    const donor = ferryStory('b.txt', {
      updated: '2026-04-03T15:00:00.000+01:00',
      highlights: ['Service suspended.'],
      analysis: ['Islanders depend on the ferry for fuel.'],
      related: ['Petrel Enters Dry Dock'],
      tags: ['transport'],
      canonicalUrl: 'https://news.example/marlow-ferry',
    });
    // The donor has highlights, so it would rank first: give the canonical copy more of them.
    canonical.highlights = ['Service suspended.', 'No injuries.'];
    const [article] = dedupeArticles([donor, canonical]).articles;
    expect(article).toMatchObject({
      authors: ['Nils Aberg'],
      published: '2026-04-03T09:00:00.000+01:00',
      updated: '2026-04-03T15:00:00.000+01:00',
      highlights: ['Service suspended.', 'No injuries.'],
      analysis: ['Islanders depend on the ferry for fuel.'],
      related: ['Petrel Enters Dry Dock'],
      tags: ['transport'],
      canonicalUrl: 'https://news.example/marlow-ferry',
    });
    expect(article?.sources[0]?.file).toBe('a.txt');
  });

  it('never overwrites what the canonical copy has', () => {
    const canonical = ferryStory('a.txt', { authors: ['Nils Aberg'], related: ['Ferry Timetable Changes'] });
    const other = ferryStory('b.txt', { related: ['Island Council Meets', 'Petrel Enters Dry Dock'] });
    const [article] = dedupeArticles([other, canonical]).articles;
    expect(article?.related).toEqual(['Ferry Timetable Changes']);
  });

  it('records all sources canonical first, and the folded copies (with their own merges) in mergedFrom', () => {
    const canonical = ferryStory('a.txt', { authors: ['Nils Aberg'] });
    // A copy that the ingest stage already merged within its file.
    const withinFileMerge = ferryStory('b.txt', {
      sources: [
        { file: 'b.txt', startLine: 1, endLine: 11 },
        { file: 'b.txt', startLine: 40, endLine: 50 },
      ],
      mergedFrom: [{ file: 'b.txt', startLine: 40, endLine: 50 }],
    });
    const result = dedupeArticles([withinFileMerge, canonical]);
    const [article] = result.articles;
    expect(article?.sources.map((s) => `${s.file}:${s.startLine}`)).toEqual([
      'a.txt:1',
      'b.txt:1',
      'b.txt:40',
    ]);
    expect(article?.mergedFrom.map((s) => `${s.file}:${s.startLine}`)).toEqual(['b.txt:1', 'b.txt:40']);
    expect(result.merges).toEqual([
      {
        title: canonical.title,
        into: { file: 'a.txt', startLine: 1, endLine: 11 },
        from: withinFileMerge.sources,
      },
    ]);
  });

  it('keeps the canonical copy at its input position and drops the folded ones', () => {
    const other = ferryStory('z-other.txt', {
      title: 'Unrelated',
      body: [
        'A different story entirely, about a bakery that won a prize for its rye bread in the county fair this year.',
      ],
    });
    const folded = ferryStory('b.txt');
    const canonical = ferryStory('a.txt', { authors: ['Nils Aberg'] });
    const result = dedupeArticles([folded, other, canonical]);
    expect(result.articles.map((a) => a.sources[0]?.file)).toEqual(['z-other.txt', 'a.txt']);
    expect(result.articles[0]).toBe(other);
  });

  it('never keeps an updated date earlier than the published date it is paired with', () => {
    const bylined = ferryStory('a.txt', {
      authors: ['Nils Aberg'],
      published: '2026-04-10T09:00:00.000+01:00',
    });
    const stale = ferryStory('b.txt', {
      published: '2026-04-01T09:00:00.000+01:00',
      updated: '2026-04-02T09:00:00.000+01:00',
    });
    const [article] = dedupeArticles([bylined, stale]).articles;
    expect(article?.published).toBe('2026-04-10T09:00:00.000+01:00');
    expect(article?.updated).toBeNull();

    const later = ferryStory('c.txt', { updated: '2026-04-12T09:00:00.000+01:00' });
    const [withLater] = dedupeArticles([bylined, later]).articles;
    expect(withLater?.updated).toBe('2026-04-12T09:00:00.000+01:00');
  });
});
