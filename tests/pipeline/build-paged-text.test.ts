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
  it('writes what a build with the text in memory writes, change after change, cold and warm', async () => {
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
    const [code] = await buildAll();
    expect(code).toBe(0);
    for (const change of [
      ...changes,
      { name: 'a build with nothing changed after all that', apply: () => {} },
    ]) {
      epoch += 3 * 3600;
      for (const dir of [inMemory, paged, pagedWarm]) change.apply(dir);
      const [inMemoryCode, pagedCode, warmCode] = await buildAll();
      expect([pagedCode, warmCode], change.name).toEqual([inMemoryCode, inMemoryCode]);
      const expected = readTree(join(inMemory, 'out'));
      expect(readTree(join(paged, 'out')), change.name).toEqual(expected);
      expect(readTree(join(pagedWarm, 'out')), change.name).toEqual(expected);
      expect(identities(paged), change.name).toEqual(identities(inMemory));
      expect(identities(pagedWarm), change.name).toEqual(identities(inMemory));
    }
  });
});
