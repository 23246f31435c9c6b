import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readArticles } from '../../src/pipeline/read.ts';
import { COMPACT_MIN_FREE_BYTES, openCacheFile, openParseCache } from '../../src/state/cache.ts';
import type { StateDb } from '../../src/state/db.ts';
import { tempDir } from '../helpers/temp.ts';

// SQLite keeps a deleted row's pages for later rows: a cache that once held a large archive
// stayed that size after the files were gone (4.2 GB for the one article left, found by a
// symlink that reached into /tmp for one build). A build that prunes most of the cache gives
// the space back; one that prunes a little does not rewrite the file for it.

const OPTIONS = { maxFileBytes: 4 * 1024 * 1024, timeZone: 'America/New_York' };
const FILES = 48;

/** An article of ~1 MB: a few thousand paragraphs, so the cache holds ~48 MB in all. */
function bigArticle(n: number): string {
  const paragraphs = Array.from(
    { length: 4000 },
    (_, p) => `Paragraph ${p} of story ${n}: ${'word '.repeat(50)}`,
  );
  return [
    `Story Number ${n}`,
    '',
    'In This Article',
    'HIGHLIGHTS',
    `- Highlight of story ${n}`,
    ...paragraphs,
  ].join('\n');
}

let db: StateDb | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

function setUp(files = FILES): { dir: string; articles: string; cacheFile: string } {
  const dir = tempDir('broadsheet-compact-');
  const articles = join(dir, 'articles');
  mkdirSync(articles);
  for (let n = 0; n < files; n++) writeFileSync(join(articles, `story-${n}.txt`), bigArticle(n));
  return { dir, articles, cacheFile: join(dir, 'cache.db') };
}

function build(dir: string, articles: string, cacheFile: string) {
  db ??= openCacheFile(cacheFile);
  const cache = openParseCache(db, OPTIONS);
  const read = readArticles([articles], OPTIONS, { root: dir, cache, pruneCache: true });
  return { read, cache };
}

const bytesOf = (file: string) =>
  statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);

describe('the parse cache after most of its files are gone', () => {
  it('gives the space back, and still answers for the files left', () => {
    const { dir, articles, cacheFile } = setUp();
    const first = build(dir, articles, cacheFile).read;
    expect(first.articles).toHaveLength(FILES);
    db?.pragma('wal_checkpoint(TRUNCATE)');
    const full = bytesOf(cacheFile);
    expect(full).toBeGreaterThan(COMPACT_MIN_FREE_BYTES);
    for (let n = 1; n < FILES; n++) rmSync(join(articles, `story-${n}.txt`));
    const { read, cache } = build(dir, articles, cacheFile);
    expect(read.articles.map((a) => a.title)).toEqual(['Story Number 0']);
    // From the cache, not parsed again.
    expect(cache.hits).toBe(1);
    expect(bytesOf(cacheFile)).toBeLessThan(full / 10);
    expect(JSON.stringify(read.articles[0])).toBe(
      JSON.stringify(first.articles.find((a) => a.title === 'Story Number 0')),
    );
  });

  it('keeps the file as it is when less than half of it is freed', () => {
    // 80 files of ~1 MB; 36 go: more free pages than the threshold, but fewer than the rows'.
    const { dir, articles, cacheFile } = setUp(80);
    build(dir, articles, cacheFile);
    db?.pragma('wal_checkpoint(TRUNCATE)');
    const full = statSync(cacheFile).size;
    for (let n = 0; n < 36; n++) rmSync(join(articles, `story-${n}.txt`));
    const { read } = build(dir, articles, cacheFile);
    expect(read.articles).toHaveLength(44);
    const freeBytes = (db?.pragma('freelist_count', { simple: true }) as number) * 16384;
    expect(freeBytes).toBeGreaterThan(COMPACT_MIN_FREE_BYTES);
    // Not rewritten: the freed pages wait for the next rows.
    expect(statSync(cacheFile).size).toBe(full);
  });
});
