import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPaged } from '../../src/ingest/index.ts';
import { readArticles } from '../../src/pipeline/read.ts';
import { openParseCache } from '../../src/state/cache.ts';
import { openState, type StateDb } from '../../src/state/db.ts';
import { tempDir } from '../helpers/temp.ts';

// The parse cache keeps each article's paragraphs apart from its file's row, so a build over
// its text budget (ingest.textMemoryMB) loads one story's text at a time.
const SAMPLES = join(import.meta.dirname, '../../articles');
const OPTIONS = { maxFileBytes: 1_000_000, timeZone: 'America/New_York' };
const DUMP = '2026-10-12-weekend-dump.txt';

let dir: string;
let db: StateDb;
beforeEach(() => {
  dir = tempDir('broadsheet-text-');
  cpSync(SAMPLES, join(dir, 'articles'), { recursive: true });
  db = openState(join(dir, 'cache.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const read = (textBudget?: number) =>
  readArticles([join(dir, 'articles')], OPTIONS, {
    root: dir,
    cache: openParseCache(db, OPTIONS),
    ...(textBudget === undefined ? {} : { textBudget }),
  });

describe('story text in the parse cache', () => {
  it('reads back the same articles, in memory or paged, on the first read and from the cache', () => {
    const first = read();
    expect(first.articles.some(isPaged)).toBe(false);
    const pagedFirst = read(0);
    // Paged or not, the same articles (JSON reads every paged text once).
    for (const again of [pagedFirst, read(), read(0)]) {
      expect(JSON.stringify(again.articles)).toBe(JSON.stringify(first.articles));
    }
    expect(read(0).articles.every(isPaged)).toBe(true);
  });

  it('keeps text in memory up to the budget, then pages the rest', () => {
    const all = read();
    const chars = all.articles.reduce(
      (sum, a) => sum + [...a.body, ...a.analysis].reduce((n, block) => n + block.length, 0),
      0,
    );
    const half = read(Math.floor(chars / 2)).articles;
    const inMemory = half.filter((a) => !isPaged(a));
    expect(inMemory.length).toBeGreaterThan(0);
    expect(inMemory.length).toBeLessThan(half.length);
    const kept = inMemory.reduce(
      (sum, a) => sum + [...a.body, ...a.analysis].reduce((n, block) => n + block.length, 0),
      0,
    );
    expect(kept).toBeLessThanOrEqual(chars / 2);
  });

  it('names the file when a paged story’s text was dropped from the cache (its file changed since)', () => {
    read();
    const paged = read(0).articles.find((a) => a.sources[0]?.file === `articles/${DUMP}`);
    expect(paged && isPaged(paged)).toBe(true);
    // Another build parses the edited file: the old parse and its texts are dropped.
    const path = join(dir, 'articles', DUMP);
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n`);
    read();
    expect(() => paged?.body).toThrow(
      `articles/${DUMP}: the parse cache no longer holds this article's text`,
    );
  });

  it('drops a cache written with the text clustered (WITHOUT ROWID), parses again, and keeps text one row per story', () => {
    const first = read();
    // The layout of caches written before 2026-12-05, with its rows.
    db.exec(`CREATE TABLE old_text (key TEXT NOT NULL, article INTEGER NOT NULL, text TEXT NOT NULL,
      PRIMARY KEY (key, article)) WITHOUT ROWID;
      INSERT INTO old_text SELECT key, article, text FROM parse_text;
      DROP TRIGGER parse_cache_text_dropped; DROP TABLE parse_text;
      ALTER TABLE old_text RENAME TO parse_text;
      CREATE TRIGGER parse_cache_text_dropped AFTER DELETE ON parse_cache
        BEGIN DELETE FROM parse_text WHERE key = old.key; END;`);
    const parses = db.prepare('SELECT count(*) FROM parse_cache').pluck().get();
    expect(parses).toBeGreaterThan(0);
    const cache = openParseCache(db, OPTIONS);
    expect(db.prepare('SELECT count(*) FROM parse_cache').pluck().get()).toBe(0);
    const layout = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'parse_text'").pluck().get();
    expect(layout).not.toMatch(/WITHOUT ROWID/i);
    const again = readArticles([join(dir, 'articles')], OPTIONS, { root: dir, cache, textBudget: 0 });
    expect(cache.misses).toBe(parses);
    expect(JSON.stringify(again.articles)).toBe(JSON.stringify(first.articles));
    // Found by its stamp on the next build, text and all.
    expect(JSON.stringify(read(0).articles)).toBe(JSON.stringify(first.articles));
  });
});
