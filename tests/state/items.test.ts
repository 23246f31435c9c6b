import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeArticles, type StoredIdentity } from '../../src/normalize/index.ts';
import { openState } from '../../src/state/db.ts';
import { loadIdentities, saveIdentities } from '../../src/state/items.ts';
import { tempDir } from '../helpers/temp.ts';
import { article, sampleArticles } from '../render/fixtures/index.ts';

const stateFile = () => join(tempDir('bs-items-'), 'state.db');

const identity = (overrides: Partial<StoredIdentity>): StoredIdentity => ({
  id: 'tag:news.example.com,2026-11-24:a',
  slug: 'a',
  firstSeen: '2026-11-24T15:00:00Z',
  titleKey: 'a',
  canonicalUrl: null,
  sourceFile: 'articles/a.txt',
  contentHash: 'h1',
  editedAt: null,
  // As the state keeps samples: distinct words, sorted (storedSample).
  textSample: 'a of words',
  ...overrides,
});

describe('identity store', () => {
  it('starts empty and round-trips identities through a real SQLite file', () => {
    const path = stateFile();
    const db = openState(path);
    expect(loadIdentities(db)).toEqual([]);
    const rows = [
      identity({}),
      identity({
        id: 'tag:news.example.com,2026-11-25:b',
        slug: 'b',
        firstSeen: '2026-11-25T01:00:00Z',
        canonicalUrl: 'https://p.example/b',
      }),
    ];
    saveIdentities(db, rows);
    db.close();
    const reopened = openState(path);
    expect(loadIdentities(reopened)).toEqual(rows);
    reopened.close();
  });

  it('updates the matching fields of a known story but never its id, slug or first-seen date', () => {
    const db = openState(stateFile());
    saveIdentities(db, [identity({})]);
    saveIdentities(db, [
      identity({
        slug: 'changed',
        firstSeen: '2030-01-01T00:00:00Z',
        titleKey: 'a retitled',
        contentHash: 'h2',
        editedAt: '2026-11-26T00:00:00Z',
      }),
    ]);
    expect(loadIdentities(db)).toEqual([
      identity({ titleKey: 'a retitled', contentHash: 'h2', editedAt: '2026-11-26T00:00:00Z' }),
    ]);
    db.close();
  });

  it('keeps the first-seen date of an undated story across builds that reopen the file', () => {
    const path = stateFile();
    const undated = article({ title: 'When was this?' });
    const buildAt = (now: string) => {
      const db = openState(path);
      const result = normalizeArticles([undated, ...sampleArticles()], {
        baseUrl: 'https://news.example.com/',
        now,
        known: loadIdentities(db),
        topicRules: [],
      });
      saveIdentities(db, result.identities);
      db.close();
      return result.items;
    };
    const first = buildAt('2026-11-24T15:00:00Z');
    const second = buildAt('2026-12-24T15:00:00Z');
    const find = (items: typeof first) => items.find((i) => i.title === 'When was this?');
    expect(find(first)?.published).toBe('2026-11-24T15:00:00Z');
    expect(find(second)).toEqual(find(first));
    expect(second.map((i) => i.id)).toEqual(first.map((i) => i.id));
  });
});
