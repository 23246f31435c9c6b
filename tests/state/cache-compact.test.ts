import { mkdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readArticles } from '../../src/pipeline/read.ts';
import { COMPACT_MIN_FREE_BYTES, openCacheFile, openParseCache } from '../../src/state/cache.ts';
import type { StateDb } from '../../src/state/db.ts';
import { tempDir } from '../helpers/temp.ts';
import { smallDisk } from '../helpers/tmpfs.ts';

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

function setUp(files = FILES, cacheDir?: string): { dir: string; articles: string; cacheFile: string } {
  const dir = tempDir('broadsheet-compact-');
  const articles = join(dir, 'articles');
  mkdirSync(articles);
  for (let n = 0; n < files; n++) writeFileSync(join(articles, `story-${n}.txt`), bigArticle(n));
  return { dir, articles, cacheFile: join(cacheDir ?? dir, 'cache.db') };
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

// VACUUM writes the live rows twice (a temporary copy, then the WAL). On a disk without that room
// it would fail or take the space the rest of the build needs: the cache then waits as it is.
// A real small file system: a 160 MB tmpfs (where the machine lets this process mount one), filled
// to 20 MB of room once the cache is written.
const disk = smallDisk('bs-compact-tmpfs-', '160m');
const mountPoint = disk ?? '';

describe.skipIf(disk === null)('the parse cache, mostly free, on a disk with little room left', () => {
  it('is left as it is, and the build reads on', () => {
    const { dir, articles, cacheFile } = setUp(FILES, mountPoint);
    build(dir, articles, cacheFile);
    db?.pragma('wal_checkpoint(TRUNCATE)');
    const full = statSync(cacheFile).size;
    writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(statfsRoom(mountPoint) - 20 * 1024 * 1024));
    // Most of the file is about to be free, but the disk has less room than VACUUM is given.
    expect(statfsRoom(mountPoint)).toBeLessThan(COMPACT_MIN_FREE_BYTES);
    for (let n = 1; n < FILES; n++) rmSync(join(articles, `story-${n}.txt`));
    const { read } = build(dir, articles, cacheFile);
    expect(read.articles.map((a) => a.title)).toEqual(['Story Number 0']);
    expect(statSync(cacheFile).size).toBe(full);
  });
});

function statfsRoom(path: string): number {
  const { bavail, bsize } = statfsSync(path);
  return bavail * bsize;
}
