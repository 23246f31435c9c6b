import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ensureParseCacheTable } from '../../src/state/cache.ts';
import { openState } from '../../src/state/db.ts';
import { tempDir } from '../helpers/temp.ts';

const repo = resolve(import.meta.dirname, '../..');
const bin = resolve(repo, 'src/cli/bin.js');

/** A project with the publication's sample articles and no config (embedded defaults). */
function project(): string {
  const dir = tempDir('broadsheet-cache-cli-');
  cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
  return dir;
}

function build(dir: string) {
  const run = spawnSync(process.execPath, [bin, '--quiet', 'build', '--no-newsletter'], {
    cwd: dir,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBeLessThanOrEqual(1); // 1: the samples hold deliberately bad files
  return run;
}

function cachedPaths(dir: string): string[] {
  const db = new Database(join(dir, '.broadsheet', 'cache.db'), { readonly: true });
  try {
    return db.prepare('SELECT path FROM parse_cache ORDER BY path').pluck().all() as string[];
  } finally {
    db.close();
  }
}

function stateTables(dir: string): string[] {
  const db = new Database(join(dir, '.broadsheet', 'state.db'), { readonly: true });
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  } finally {
    db.close();
  }
}

const articleFiles = (dir: string) =>
  readdirSync(join(dir, 'articles'), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(txt|md|markdown)$/.test(f))
    .map((f) => `articles/${f}`)
    .sort();

describe('the parse cache file', () => {
  it('lives in .broadsheet/cache.db, one row per article file, and never in the state file', () => {
    const dir = project();
    build(dir);
    const files = articleFiles(dir);
    expect(files.length).toBeGreaterThan(20);
    // Files refused before parsing (oversized) have no row; every row is an article file.
    const cached = cachedPaths(dir);
    expect(cached.length).toBeGreaterThan(20);
    for (const path of cached) expect(files).toContain(path);
    expect(stateTables(dir)).not.toContain('parse_cache');
  });

  it('drops the rows of files deleted since the last build', () => {
    const dir = project();
    build(dir);
    const gone = cachedPaths(dir)[0] as string;
    rmSync(join(dir, gone));
    build(dir);
    expect(cachedPaths(dir)).not.toContain(gone);
    expect(cachedPaths(dir).length).toBeGreaterThan(20);
  });

  it('drops the parse cache an older build kept in the state file', () => {
    const dir = project();
    const legacy = openState(join(dir, '.broadsheet', 'state.db'));
    ensureParseCacheTable(legacy);
    legacy.prepare('INSERT INTO parse_cache (key, path, result) VALUES (?, ?, ?)').run('k', 'x.txt', '{}');
    legacy.close();
    expect(stateTables(dir)).toContain('parse_cache');
    build(dir);
    expect(stateTables(dir)).not.toContain('parse_cache');
    expect(cachedPaths(dir).length).toBeGreaterThan(20);
  });
});
