import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.ts';
import { mountTmpfs } from '../helpers/tmpfs.ts';

const repo = resolve(import.meta.dirname, '../..');
const bin = resolve(repo, 'src/cli/bin.js');

/** A real full disk: a tiny tmpfs mounted over the state folder (needs root, as CI runs). */
const mountTiny = (folder: string) => mountTmpfs(folder, '128k');

const canMount = (() => {
  const probe = tempDir('bs-mount-probe-');
  const unmount = mountTiny(probe);
  unmount?.();
  return unmount !== null;
})();

describe('a full disk under the state folder', () => {
  it.runIf(canMount)('is one line that says the disk is full, exit 3, and no out/ is published', () => {
    const dir = tempDir('bs-disk-full-');
    cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
    const unmount = mountTiny(join(dir, '.broadsheet'));
    try {
      const build = spawnSync(process.execPath, [bin, 'build'], { cwd: dir, encoding: 'utf8' });
      expect(build.status).toBe(3);
      const lines = build.stderr.trim().split('\n');
      expect(lines.at(-1)).toMatch(/^broadsheet: the disk is full \(.*\); .*free some space/);
      expect(build.stderr).not.toMatch(/\n\s+at /);
      expect(spawnSync('ls', [join(dir, 'out')]).status).not.toBe(0);
    } finally {
      unmount?.();
    }
  });

  it.runIf(canMount)('already full before the build starts: the same line, and nothing left behind', () => {
    const dir = tempDir('bs-disk-full-');
    cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
    const state = join(dir, '.broadsheet');
    const unmount = mountTiny(state);
    try {
      // Fill it: the first write of the build (the lock's own file) finds no room.
      try {
        writeFileSync(join(state, 'filler'), Buffer.alloc(1024 * 1024));
      } catch {
        // ENOSPC once the disk is full: what we want.
      }
      const build = spawnSync(process.execPath, [bin, 'build'], { cwd: dir, encoding: 'utf8' });
      expect(build.status).toBe(3);
      expect(build.stderr.trim().split('\n').at(-1)).toMatch(/^broadsheet: the disk is full/);
      expect(readdirSync(state).filter((name) => name !== 'filler')).toEqual([]);
    } finally {
      unmount?.();
    }
  });

  it.runIf(canMount)(
    'under out/ while a writer thread writes a paged archive: the same line, nothing published',
    () => {
      const dir = tempDir('bs-disk-full-');
      cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
      // Text paged and two threads: this thread renders, the writer thread writes (write-pool.ts).
      writeFileSync(
        join(dir, 'broadsheet.config.json'),
        JSON.stringify({ site: { title: 'Full' }, ingest: { textMemoryMB: 0 }, build: { threads: 2 } }),
      );
      const unmount = mountTmpfs(join(dir, '.out.builds'), '256k');
      try {
        const build = spawnSync(process.execPath, [bin, 'build'], { cwd: dir, encoding: 'utf8' });
        expect(build.status).toBe(3);
        expect(build.stderr.trim().split('\n').at(-1)).toMatch(/^broadsheet: the disk is full/);
        expect(build.stderr).not.toMatch(/\n\s+at /);
        expect(spawnSync('ls', [join(dir, 'out')]).status).not.toBe(0);
        // The half-written build folder is gone: only what the lock or layout keeps may stay.
        expect(readdirSync(join(dir, '.out.builds')).filter((name) => !name.startsWith('.'))).toEqual([]);
      } finally {
        unmount?.();
      }
    },
  );

  it.runIf(canMount)('under the cache file alone: the line names the cache file', () => {
    const dir = tempDir('bs-disk-full-');
    cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
    writeFileSync(
      join(dir, 'broadsheet.config.json'),
      JSON.stringify({ site: { title: 'Full' }, paths: { cache: 'cache/cache.db' } }),
    );
    // Room for the file to open, not for the articles' parses: SQLite's "database or disk is full".
    const unmount = mountTmpfs(join(dir, 'cache'), '256k');
    try {
      const build = spawnSync(process.execPath, [bin, 'build'], { cwd: dir, encoding: 'utf8' });
      expect(build.status).toBe(3);
      expect(build.stderr.trim().split('\n').at(-1)).toMatch(
        /^broadsheet: the disk is full \(no space left on the disk that holds \S*cache\/cache\.db /,
      );
      expect(spawnSync('ls', [join(dir, 'out')]).status).not.toBe(0);
    } finally {
      unmount?.();
    }
  });
});
