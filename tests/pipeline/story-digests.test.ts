import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storyKeys } from '../../src/dedupe/index.ts';
import { contentHashOf } from '../../src/normalize/index.ts';
import { readArticles } from '../../src/pipeline/read.ts';
import { StoryDigests } from '../../src/pipeline/story-digests.ts';
import { openCacheFile, openParseCache, type ParseCache } from '../../src/state/cache.ts';
import type { Article } from '../../src/types.ts';
import { tempDir } from '../helpers/temp.ts';
import { OPTIONS } from '../ingest/helpers.ts';
import { build, changes, identities, project, repo } from './build-changes.ts';
import { readTree } from './build-site-helpers.ts';

/**
 * What dedupe and normalize work out of a story's text alone (its index keys, its content hash)
 * is worked out when its file is parsed and kept beside the parse in the cache file; a rebuild
 * in a new process takes it from there instead of loading the story's text to work it out again.
 */
describe('story digests kept in the parse cache', () => {
  const dir = tempDir('bs-digests-');
  cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
  const cachePath = join(dir, 'cache.db');

  /**
   * One read in a new "process" (a new cache handle, new digests), checked to give every article
   * the digests its text gives; the story texts the read loaded, and how many articles it read.
   */
  const readOnce = (trustStamps: boolean) => {
    const db = openCacheFile(cachePath);
    try {
      const loads: string[] = [];
      const cache = counting(openParseCache(db, OPTIONS), loads);
      const digests = new StoryDigests();
      const read = readArticles([join(dir, 'articles')], OPTIONS, {
        cache,
        derive: digests,
        textBudget: 0, // every story paged: a text is read only through `cache.text`
        trustStampsBefore: trustStamps ? Number.POSITIVE_INFINITY : 0,
      });
      const loaded = [...loads];
      expectDigestsOf(read.articles, digests);
      return { articles: read.articles.length, loads: loaded };
    } finally {
      db.close();
    }
  };

  it('are worked out on the first read and handed back on the next, without loading a text', () => {
    rmSync(cachePath, { force: true });
    const first = readOnce(false);
    expect(first.articles).toBeGreaterThan(5);
    expect(first.loads).toEqual([]); // worked out while the parse was in memory
    for (const trustStamps of [true, false]) {
      const next = readOnce(trustStamps);
      expect(next.loads, trustStamps ? 'found by stamp' : 'found by bytes').toEqual([]);
    }
  });

  it('are worked out again, and kept anew, when they were kept by other code or damaged', () => {
    rmSync(cachePath, { force: true });
    readOnce(false);
    for (const damage of [
      'NULL', // a row kept before digests were
      `json_set(derived, '$.code', 'code of another version')`,
      `'{"code": 1'`,
      `json_set(derived, '$.hashes', json('[]'))`,
    ]) {
      const db = openCacheFile(cachePath);
      db.prepare(`UPDATE parse_cache SET derived = ${damage}`).run();
      db.close();
      const again = readOnce(true);
      // Loaded to work them out (each story's text at least once), then kept: the next read loads none.
      expect(new Set(again.loads).size, damage).toBe(again.articles);
      expect(readOnce(true).loads, damage).toEqual([]);
    }
  });
});

describe('a build that takes story digests from the cache', () => {
  // Builds as new processes (no memo): one keeps its cache, one deletes it before every build
  // and so works everything out from the text; one pages all its text.
  const kept = project();
  const keptPaged = project({ textMemoryMB: 0 });
  const fresh = project();
  let epoch = 1_793_000_000; // 2026-10-26
  const buildAll = async () => {
    rmSync(join(fresh, '.broadsheet', 'cache.db'), { force: true });
    return [await build(kept, epoch), await build(keptPaged, epoch), await build(fresh, epoch)];
  };
  const expectSame = (name: string) => {
    const expected = readTree(join(fresh, 'out'));
    expect(readTree(join(kept, 'out')), name).toEqual(expected);
    expect(readTree(join(keptPaged, 'out')), name).toEqual(expected);
    expect(identities(kept), name).toEqual(identities(fresh));
    expect(identities(keptPaged), name).toEqual(identities(fresh));
  };

  it('writes what a build from the text writes, from nothing', async () => {
    expect(await buildAll()).toEqual([0, 0, 0]);
    expectSame('first build');
  });

  for (const change of changes) {
    it(`and after: ${change.name}`, async () => {
      epoch += 3 * 3600;
      for (const dir of [kept, keptPaged, fresh]) change.apply(dir);
      const [keptCode, pagedCode, freshCode] = await buildAll();
      expect([keptCode, pagedCode], change.name).toEqual([freshCode, freshCode]);
      expectSame(change.name);
    });
  }
});

/** `cache`, noting each story text loaded (by key and article number). */
function counting(cache: ParseCache, loads: string[]): ParseCache {
  return Object.assign(Object.create(cache) as ParseCache, {
    text: (key: string, index: number, file: string) => {
      loads.push(`${key}#${index}`);
      return cache.text(key, index, file);
    },
  });
}

/** Every article has digests, equal to what its text gives now. */
function expectDigestsOf(articles: Article[], digests: StoryDigests): void {
  for (const article of articles) {
    const keys = digests.keysOf(article);
    const hash = digests.hashOf(article);
    expect(keys && [...keys], article.title).toEqual([...storyKeys(article)]);
    expect(hash, article.title).toBe(contentHashOf(article));
  }
}
