import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type IngestOptions, spreadable } from '../../src/ingest/index.ts';
import { type ReadSettings, readArticles, readArticlesShared } from '../../src/pipeline/read.ts';
import { StoryDigests } from '../../src/pipeline/story-digests.ts';
import { openParseCache, openState, type StateDb } from '../../src/state/index.ts';
import { tempDir } from '../helpers/temp.ts';
import { FIXTURES } from '../ingest/helpers.ts';

/**
 * Parsing in helper threads (read-pool.ts) must give what a read in one thread gives: the same
 * articles in the same order, the same diagnostics, the same digests for dedupe and normalize,
 * and the same rows in the parse cache, so a later build cannot tell which thread parsed a file.
 */
const OPTIONS: IngestOptions = { maxFileBytes: 64 * 1024, timeZone: 'America/New_York' };

/** Every ingest fixture (good, bad, binary, Markdown) three times over, and one file too large. */
function corpus(): string {
  const root = tempDir('bs-read-shared-');
  for (const copy of ['a', 'b', 'c']) cpSync(FIXTURES, join(root, 'articles', copy), { recursive: true });
  mkdirSync(join(root, 'articles', 'big'));
  writeFileSync(join(root, 'articles', 'big', 'huge.txt'), `Title\n\n${'word '.repeat(20_000)}\n`);
  return root;
}

interface Run {
  articles: unknown[];
  diagnostics: unknown[];
  digests: unknown[];
  rows: unknown[];
  texts: unknown[];
  parsedByHelpers: number;
}

async function read(root: string, name: string, threads: number | null, extra: Partial<ReadSettings> = {}) {
  const db: StateDb = openState(join(root, `${name}.db`));
  const digests = new StoryDigests();
  const settings: ReadSettings = {
    cache: openParseCache(db, OPTIONS),
    derive: digests,
    root,
    // Every file may be judged by its stamp: the same for both reads.
    trustStampsBefore: Date.now() + 60_000,
    ...extra,
  };
  const paths = [join(root, 'articles')];
  const result =
    threads === null
      ? { ...readArticles(paths, OPTIONS, settings), parsedByHelpers: 0 }
      : await readArticlesShared(paths, OPTIONS, { ...settings, threads, minShared: 5 });
  const run: Run = {
    // Text loaded (paged stories too): what later stages would see.
    articles: result.articles.map((article) =>
      JSON.parse(JSON.stringify({ ...spreadable(article), body: article.body, analysis: article.analysis })),
    ),
    diagnostics: result.diagnostics,
    digests: result.articles.map((article) => [
      digests.hashOf(article),
      [...(digests.keysOf(article) ?? [])],
    ]),
    rows: db
      .prepare('SELECT key, path, result, stamp, settings, derived FROM parse_cache ORDER BY key')
      .all(),
    texts: db.prepare('SELECT key, article, text FROM parse_text ORDER BY key, article').all(),
    parsedByHelpers: result.parsedByHelpers,
  };
  db.close();
  return run;
}

describe('reading with helper threads', () => {
  it('gives what a read in one thread gives, to the byte', async () => {
    const root = corpus();
    const alone = await read(root, 'alone', null);
    const shared = await read(root, 'shared', 3);
    expect(shared.parsedByHelpers).toBeGreaterThan(0);
    expect(alone.articles.length).toBeGreaterThan(60);
    expect(shared.articles).toEqual(alone.articles);
    expect(shared.diagnostics).toEqual(alone.diagnostics);
    expect(shared.digests).toEqual(alone.digests);
    expect(shared.rows).toEqual(alone.rows);
    expect(shared.texts).toEqual(alone.texts);
  });

  it('pages text past the budget as a read in one thread does', async () => {
    const root = corpus();
    const alone = await read(root, 'alone', null, { textBudget: 2_000 });
    const shared = await read(root, 'shared', 3, { textBudget: 2_000 });
    expect(shared.parsedByHelpers).toBeGreaterThan(0);
    expect(shared.articles).toEqual(alone.articles);
    expect(shared.digests).toEqual(alone.digests);
  });

  it('keeps what it parsed: the next read parses nothing', async () => {
    const root = corpus();
    await read(root, 'cache', 3);
    const again = await read(root, 'cache', 3);
    expect(again.parsedByHelpers).toBe(0);
    const alone = await read(root, 'alone', null);
    expect(again.articles).toEqual(alone.articles);
    expect(again.digests).toEqual(alone.digests);
  });

  it('parses in its own thread with one thread configured', async () => {
    const root = corpus();
    const one = await read(root, 'one', 1);
    expect(one.parsedByHelpers).toBe(0);
    expect(one.articles).toEqual((await read(root, 'alone', null)).articles);
  });

  it("stops with the cache's own error when the cache cannot grow, from either thread", async () => {
    const root = corpus();
    for (const threads of [null, 3]) {
      const db = openState(join(root, `full-${threads}.db`));
      const cache = openParseCache(db, OPTIONS);
      // A real "database or disk is full": SQLite refuses pages past this count.
      db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 4}`);
      const settings = { cache, derive: new StoryDigests(), root, trustStampsBefore: Date.now() + 60_000 };
      const reading =
        threads === null
          ? Promise.resolve().then(() => readArticles([join(root, 'articles')], OPTIONS, settings))
          : readArticlesShared([join(root, 'articles')], OPTIONS, { ...settings, threads, minShared: 5 });
      // Not "unreadable" against every file after it, and not an exception out of an event handler.
      await expect(reading).rejects.toMatchObject({ code: 'SQLITE_FULL' });
      db.close();
    }
  });
});
