import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openCacheFile } from '../../src/state/cache.ts';
import { openState } from '../../src/state/db.ts';
import { tempDir } from '../helpers/temp.ts';

// Page sizes fitted to the rows (db.ts, cache.ts): a stored identity (~2.3 KB) and a story's
// text (~3 KB of JSON) each took a 4 KB page of their own, or spilled over one.

describe('page sizes', () => {
  it('makes a new state file with 8 KB pages and a new cache with 16 KB pages, kept once WAL is on', () => {
    const dir = tempDir('bs-pages-');
    const state = openState(join(dir, 'state.db'));
    state.exec('CREATE TABLE t (x TEXT)');
    state.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(3000));
    expect(state.pragma('page_size', { simple: true })).toBe(8192);
    expect(state.pragma('journal_mode', { simple: true })).toBe('wal');
    state.close();
    const cache = openCacheFile(join(dir, 'cache.db'));
    expect(cache.pragma('page_size', { simple: true })).toBe(16384);
    cache.close();
    const reopened = openState(join(dir, 'state.db'));
    expect(reopened.pragma('page_size', { simple: true })).toBe(8192);
    reopened.close();
  });

  it('leaves a state file made with 4 KB pages as it was, rows and all', () => {
    const path = join(tempDir('bs-pages-old-'), 'state.db');
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (x TEXT)');
    old.prepare('INSERT INTO t VALUES (?)').run('kept');
    old.close();
    const db = openState(path);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.prepare('SELECT x FROM t').pluck().get()).toBe('kept');
    db.prepare('INSERT INTO t VALUES (?)').run('y'.repeat(5000));
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2);
    db.close();
  });
});
