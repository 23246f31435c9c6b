import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readArticles } from '../../src/pipeline/read.ts';
import { openParseCache, PARSER_VERSION } from '../../src/state/cache.ts';
import { openState, type StateDb } from '../../src/state/db.ts';
import { tempDir } from '../helpers/temp.ts';

// The publication's sample articles: export dumps, a within-file merge, Markdown, bad dates.
const SAMPLES = join(import.meta.dirname, '../../articles');
const OPTIONS = { maxFileBytes: 1_000_000, timeZone: 'America/New_York' };

let dir: string;
let articles: string;
let db: StateDb;

beforeEach(() => {
  dir = tempDir('broadsheet-cache-');
  articles = join(dir, 'articles');
  cpSync(SAMPLES, articles, { recursive: true });
  db = openState(join(dir, 'state.db'));
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function read(version = PARSER_VERSION, options = OPTIONS) {
  const cache = openParseCache(db, options, version);
  const result = readArticles([articles], options, { cache });
  return { result, hits: cache.hits, misses: cache.misses };
}

describe('the parse cache', () => {
  it('parses nothing on a second read of unchanged files, and returns equal articles', () => {
    const uncached = readArticles([articles], OPTIONS);
    const first = read();
    expect(first.misses).toBe(first.result.files);
    expect(first.hits).toBe(0);
    const second = read();
    expect(second.hits).toBe(second.result.files);
    expect(second.misses).toBe(0);
    expect(second.result.articles).toEqual(uncached.articles);
    expect(second.result.diagnostics).toEqual(uncached.diagnostics);
    expect(second.result.articles.length).toBeGreaterThan(20);
  });

  it('leaves a state connection at synchronous=FULL after storing parses (the ledger relies on it)', () => {
    const first = read();
    expect(first.misses).toBeGreaterThan(0);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.prepare('SELECT count(*) FROM parse_cache').pluck().get()).toBe(first.misses);
  });

  it('prune drops the rows of paths not read, and keeps the connection’s synchronous setting', () => {
    db.pragma('synchronous = OFF');
    const first = read();
    const cache = openParseCache(db, OPTIONS);
    const paths = db.prepare('SELECT path FROM parse_cache ORDER BY path').pluck().all() as string[];
    expect(paths.length).toBe(first.misses);
    const removed = cache.prune(paths.slice(1));
    expect(removed).toBe(1);
    expect(db.prepare('SELECT path FROM parse_cache ORDER BY path').pluck().all()).toEqual(paths.slice(1));
    expect(db.pragma('synchronous', { simple: true })).toBe(0);
  });

  it('parses an edited file again, and only that one', () => {
    read();
    const file = join(articles, readdirSync(articles).filter((f) => f.endsWith('.txt'))[0] ?? '');
    const text = readFileSync(file, 'utf8');
    const title = text.split('\n').find((line) => line.trim().length > 0) ?? '';
    writeFileSync(file, text.replace(title, `${title.trim()} (edited)`));
    const after = read();
    expect(after.misses).toBe(1);
    expect(after.hits).toBe(after.result.files - 1);
    expect(after.result.articles.some((a) => a.title.endsWith('(edited)'))).toBe(true);
    expect(after.result.articles).toEqual(readArticles([articles], OPTIONS).articles);
    // The old parse of the edited file is gone: one row per file.
    const rows = db.prepare('SELECT COUNT(*) FROM parse_cache').pluck().get();
    expect(rows).toBe(after.result.files);
  });

  it('is ignored after a parser version bump or with other ingest options', () => {
    read();
    const bumped = read(PARSER_VERSION + 1);
    expect(bumped.hits).toBe(0);
    expect(bumped.misses).toBe(bumped.result.files);
    const otherZone = read(PARSER_VERSION + 1, { ...OPTIONS, timeZone: 'Europe/Paris' });
    expect(otherZone.hits).toBe(0);
  });

  it('treats a damaged row as a miss and parses the file', () => {
    read();
    db.prepare("UPDATE parse_cache SET result = '{not json'").run();
    const again = read();
    expect(again.hits).toBe(0);
    expect(again.result.articles).toEqual(readArticles([articles], OPTIONS).articles);
  });

  it('names the file as it is read now: the same bytes at another path parse anew', () => {
    read();
    const name = readdirSync(articles).filter((f) => f.endsWith('.txt'))[0] ?? '';
    cpSync(join(articles, name), join(articles, `copy-${name}`));
    const after = read();
    expect(after.misses).toBe(1);
    expect(after.result.articles.some((a) => a.sources[0]?.file.endsWith(`copy-${name}`))).toBe(true);
  });
});
