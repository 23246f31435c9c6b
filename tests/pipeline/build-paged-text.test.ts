import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBuildMemo } from '../../src/pipeline/memo.ts';
import { build, changes, identities, project } from './build-changes.ts';
import { readTree } from './build-site-helpers.ts';

/**
 * A large archive keeps its story text in the parse cache instead of memory
 * (`ingest.textMemoryMB`), and every stage loads a story's paragraphs when it reads them. The
 * output must not depend on it: a build that pages all text writes the bytes and records the
 * identities of one that keeps it all, through every kind of change, cold and warm.
 */
describe('a build with its story text paged out to the parse cache', () => {
  // One test per change, in order, on the same three projects: each is a few builds, so no one
  // test's time grows with the list of changes (on a loaded 2-core machine the single test that
  // did them all took over two minutes).
  const inMemory = project();
  const paged = project({ textMemoryMB: 0 });
  const pagedWarm = project({ textMemoryMB: 0 });
  const memo = createBuildMemo();
  let epoch = 1_793_000_000; // 2026-10-26
  const buildAll = async () => [
    await build(inMemory, epoch),
    await build(paged, epoch),
    // A warm process (serve) keeps paged articles across builds, each on a newly opened cache.
    await build(pagedWarm, epoch, memo),
  ];
  const expectSameAsInMemory = (name: string) => {
    const expected = readTree(join(inMemory, 'out'));
    expect(readTree(join(paged, 'out')), name).toEqual(expected);
    expect(readTree(join(pagedWarm, 'out')), name).toEqual(expected);
    expect(identities(paged), name).toEqual(identities(inMemory));
    expect(identities(pagedWarm), name).toEqual(identities(inMemory));
  };

  it('writes what a build with the text in memory writes, from nothing', async () => {
    expect(await buildAll()).toEqual([0, 0, 0]);
    expectSameAsInMemory('first build');
  });

  for (const change of [
    ...changes,
    { name: 'a build with nothing changed after all that', apply: () => {} },
  ]) {
    it(`and after: ${change.name}`, async () => {
      epoch += 3 * 3600;
      for (const dir of [inMemory, paged, pagedWarm]) change.apply(dir);
      const [inMemoryCode, pagedCode, warmCode] = await buildAll();
      expect([pagedCode, warmCode], change.name).toEqual([inMemoryCode, inMemoryCode]);
      expectSameAsInMemory(change.name);
    });
  }
});
