import { cpSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readArticles } from '../../src/pipeline/read.ts';
import { openParseCache } from '../../src/state/cache.ts';
import { openState, type StateDb } from '../../src/state/db.ts';
import { tempDir } from '../helpers/temp.ts';

// A new process finds unchanged files in the parse cache by their stat, without reading them.
const SAMPLES = join(import.meta.dirname, '../../articles');
const OPTIONS = { maxFileBytes: 1_000_000, timeZone: 'America/New_York' };
/**
 * A minute after "now" as the file system sees it (a probe file's mtime), so every file counts as
 * settled: the process clock may differ from the one that stamps files (faketime, a skewed host).
 */
const LATER = () => {
  const probe = join(dir, '.clock-probe');
  writeFileSync(probe, '');
  return statSync(probe).mtimeMs + 60_000;
};

let dir: string;
let articles: string;
let db: StateDb;
beforeEach(() => {
  dir = tempDir('broadsheet-stamps-');
  articles = join(dir, 'articles');
  cpSync(SAMPLES, articles, { recursive: true });
  db = openState(join(dir, 'cache.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One read as a new process does it: a fresh cache handle, no in-process memo. */
function read(trustStampsBefore: number) {
  const cache = openParseCache(db, OPTIONS);
  const result = readArticles([articles], OPTIONS, { cache, trustStampsBefore });
  return { result, unread: cache.unread, hits: cache.hits, misses: cache.misses };
}

describe('parse-cache stamps', () => {
  it('skip reading unchanged files and give what a fresh parse gives', () => {
    const fresh = readArticles([articles], OPTIONS);
    const first = read(LATER());
    expect(first.unread).toBe(0);
    const second = read(LATER());
    expect(second.unread).toBe(second.result.files);
    expect(second.result).toEqual(fresh);
  });

  it('read an edited file, and a touched one, and find the touched one by stamp next time', () => {
    read(LATER());
    const edited = join(articles, '2026-10-03-tram-extension-vote.txt');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('in January.', 'in February.'));
    utimesSync(join(articles, '2026-10-08-river-otters-return.txt'), 1e9, 1e9);
    const after = read(LATER());
    expect(after.unread).toBe(after.result.files - 2);
    expect(after.misses).toBe(1); // the edit is parsed; the touched file is found by its bytes
    expect(JSON.stringify(after.result.articles)).toContain('in February.');
    expect(read(LATER()).unread).toBe(after.result.files);
  });

  it('are not trusted for files changed too recently (coarse file-system clocks)', () => {
    read(LATER());
    const again = read(0); // nothing is older than the epoch: every file is read
    expect(again.unread).toBe(0);
    expect(again.hits).toBe(again.result.files);
  });

  it('are added to rows stored before stamps existed, once found by their bytes', () => {
    read(LATER());
    db.exec('UPDATE parse_cache SET stamp = NULL, settings = NULL'); // as an older cache file
    expect(read(LATER()).unread).toBe(0);
    const next = read(LATER());
    expect(next.unread).toBe(next.result.files);
  });

  it('are not used across ingest settings', () => {
    read(LATER());
    const cache = openParseCache(db, { ...OPTIONS, timeZone: 'Europe/London' });
    readArticles(
      [articles],
      { ...OPTIONS, timeZone: 'Europe/London' },
      { cache, trustStampsBefore: LATER() },
    );
    expect(cache.unread).toBe(0);
  });
});
