import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { treeDigest } from '../bench/kill.ts';
import { tempDir } from '../helpers/temp.ts';

const repo = resolve(import.meta.dirname, '../..');
const bin = resolve(repo, 'src/cli/bin.js');

function broadsheet(dir: string, args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8' });
}

// A renamed or unmounted articles folder used to publish an empty site ("51 removed") that a
// cron job's `send` then mailed: now nothing is built and out/ stays as it was.
describe('a build with no input', () => {
  const built = () => {
    const dir = tempDir('bs-no-input-');
    cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
    expect(broadsheet(dir, ['build', '--quiet']).status).toBe(0);
    return { dir, site: treeDigest(join(dir, 'out')) };
  };

  it('a missing articles folder: exit 2, says so, out/ untouched', () => {
    const { dir, site } = built();
    renameSync(join(dir, 'articles'), join(dir, 'articles-old'));
    const build = broadsheet(dir, ['build']);
    expect(build.status).toBe(2);
    expect(build.stderr).toContain('articles: error: the articles folder (paths.articles) does not exist');
    expect(build.stderr).not.toMatch(/removed|at .*\.ts:\d+/);
    expect(treeDigest(join(dir, 'out'))).toBe(site);
  });

  it('an empty articles folder: exit 2, says so, out/ untouched', () => {
    const { dir, site } = built();
    rmSync(join(dir, 'articles'), { recursive: true });
    mkdirSync(join(dir, 'articles'));
    const build = broadsheet(dir, ['build', '--quiet']);
    expect(build.status).toBe(2);
    expect(build.stderr).toContain('no article files (.txt, .md, .markdown) in the articles folder');
    expect(treeDigest(join(dir, 'out'))).toBe(site);
  });
});
