import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveManifestPath } from '../../src/pipeline/output.ts';
import { build, changes, project } from './build-changes.ts';
import { readTree } from './build-site-helpers.ts';

/**
 * `build.threads`: a build on two threads writes the bytes and the manifest of one that does it
 * all in one, from nothing and through every kind of change (which thread renders or writes
 * which file depends on timing; the output must not). With the text in memory a helper renders
 * half the files; with it paged (a large archive) this thread renders and a writer thread writes.
 */
describe.each([
  ['rendering on two threads', undefined],
  ['with its text paged, writing on a second thread', { textMemoryMB: 0 }],
])('a build %s', (_name, ingest) => {
  const one = project(undefined, { threads: 1 });
  const two = project(ingest, { threads: 2 });
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
