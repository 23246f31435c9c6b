import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveManifestPath } from '../../src/pipeline/output.ts';
import { build, changes, project } from './build-changes.ts';
import { readTree } from './build-site-helpers.ts';

/**
 * `build.threads`: a build whose feeds and pages are rendered by two threads writes the bytes
 * and the manifest of one that renders them in one, from nothing and through every kind of
 * change (which thread renders which file depends on timing; the output must not).
 */
describe('a build rendering on two threads', () => {
  const one = project(undefined, { threads: 1 });
  const two = project(undefined, { threads: 2 });
  let epoch = 1_793_000_000; // 2026-10-26

  const expectSameAsOneThread = (name: string) => {
    expect(readTree(join(two, 'out')), name).toEqual(readTree(join(one, 'out')));
    expect(manifestOf(two), name).toEqual(manifestOf(one));
  };

  it('writes what a one-thread build writes, from nothing', async () => {
    expect([await build(one, epoch), await build(two, epoch)]).toEqual([0, 0]);
    expect(manifestOf(two).length, 'the sample site has dozens of files').toBeGreaterThan(50);
    expectSameAsOneThread('first build');
  });

  for (const change of changes) {
    it(`and after: ${change.name}`, async () => {
      epoch += 3 * 3600;
      for (const dir of [one, two]) change.apply(dir);
      const [oneCode, twoCode] = [await build(one, epoch), await build(two, epoch)];
      expect(twoCode, change.name).toBe(oneCode);
      expectSameAsOneThread(change.name);
    });
  }
});

/**
 * The live manifest's entries in its order, without the stamps (inode and mtime name the file
 * on disk, which differs between two projects by nature).
 */
function manifestOf(dir: string): [string, unknown][] {
  const path = liveManifestPath(join(dir, 'out'));
  if (path === null) throw new Error(`${dir} has no live build`);
  const entries = Object.entries(JSON.parse(readFileSync(path, 'utf8')) as Record<string, object>);
  return entries.map(([file, { stamp: _stamp, ...entry }]: [string, { stamp?: string }]) => [file, entry]);
}
