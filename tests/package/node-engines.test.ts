import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.ts';

// package.json says which Node it runs on; every locked package must accept that Node, or
// `npm install` warns EBADENGINE (nopt@10 and abbrev@5, via mjml → js-beautify, wanted Node 22:
// the `overrides` pin nopt@9, which js-beautify uses only in its own command line).
const repo = resolve(import.meta.dirname, '../..');

describe("package.json's engines and the lockfile", () => {
  it('agree: a clean `npm ci` of the lockfile prints no EBADENGINE on this Node', () => {
    const engines = (
      JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { engines: { node: string } }
    ).engines;
    expect(engines.node).toBe('>=20.19');
    const dir = tempDir('broadsheet-engines-');
    try {
      for (const name of ['package.json', 'package-lock.json'])
        copyFileSync(join(repo, name), join(dir, name));
      // --dry-run resolves the whole tree and checks every engine, installing nothing.
      const run = spawnSync(
        'npm',
        ['ci', '--dry-run', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'],
        {
          cwd: dir,
          encoding: 'utf8',
        },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/added \d+ packages/);
      expect(run.stderr).not.toContain('EBADENGINE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
