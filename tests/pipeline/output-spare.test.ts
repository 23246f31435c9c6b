import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeOutputs } from '../../src/pipeline/output.ts';
import { tidySpare } from '../../src/pipeline/spare.ts';
import type { Output } from '../../src/types.ts';
import { tempDir } from '../helpers/temp.ts';

/**
 * The writer keeps the build a swap replaced as a spare and makes it over into the next build's
 * folder (re-linking what changed) instead of linking every file into a new one. What must hold
 * whatever the sequence of builds: out/ is exactly the planned files, no more (a file the spare
 * had, a stray put there by hand, a folder where a file now goes), and the live build a reader
 * holds is never written into, though the spare shares its files' inodes.
 */

/** Paths that collide as file and folder across builds (`a` and `a/b`), nested pages, an odd name, and a site body. */
const UNIVERSE = [
  'a',
  'a/b',
  'a/c/index.html',
  'b/x/index.html',
  'b/y/index.html',
  'c.xml',
  'd/e',
  'd/e/f',
  // Escaped in the manifest's JSON: the tidying thread reads its paths line by line.
  'q/é "quoted" \\ back.html',
  ...Array.from({ length: 12 }, (_, i) => `p/${i}/index.html`),
];
const BUILDS_ID = /^b[0-9a-z]+$/;

/** Every file below `root`, relative path → contents; and every folder. */
function tree(root: string): { files: Map<string, string>; folders: Set<string> } {
  const files = new Map<string, string>();
  const folders = new Set<string>();
  const walk = (folder: string) => {
    for (const dirent of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = folder === '' ? dirent.name : `${folder}/${dirent.name}`;
      if (dirent.isDirectory()) {
        folders.add(path);
        walk(path);
      } else files.set(path, readFileSync(join(root, path), 'utf8'));
    }
  };
  walk('');
  return { files, folders };
}

/** The folders a set of file paths needs. */
function foldersOf(paths: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const path of paths)
    for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1))
      folders.add(path.slice(0, slash));
  return folders;
}

/** The site after `changes` (null: the page is dropped); a path another needs as a folder is dropped too. */
function edited(site: Map<string, string>, changes: Array<[string, string | null]>): Map<string, string> {
  const next = new Map(site);
  for (const [path, contents] of changes) {
    if (contents === null) next.delete(path);
    else next.set(path, contents);
  }
  const needed = foldersOf(next.keys());
  return new Map([...next].filter(([path]) => !needed.has(path)));
}

function outputsOf(site: Map<string, string>, planned: boolean): Output[] {
  return [...site].map(([path, contents]) =>
    planned ? { path, key: `k:${contents}`, render: () => contents } : { path, contents },
  );
}

type Step =
  | { kind: 'build'; changes: Array<[string, string | null]>; planned: boolean; tidy: boolean }
  | { kind: 'stray'; path: string }
  | { kind: 'hand-edit'; index: number }
  | { kind: 'hand-delete'; index: number };

/** Mostly small edits (what keeps the replaced build as the spare), now and then a large one. */
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('build' as const),
      changes: fc.array(
        fc.tuple(fc.constantFrom(...UNIVERSE), fc.constantFrom<string | null>('1', '2', '3', null)),
        { minLength: 0, maxLength: 3 },
      ),
      planned: fc.boolean(),
      tidy: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('build' as const),
      changes: fc.array(
        fc.tuple(fc.constantFrom(...UNIVERSE), fc.constantFrom<string | null>('1', '2', '3', null)),
        {
          minLength: 8,
          maxLength: 20,
        },
      ),
      planned: fc.boolean(),
      tidy: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('stray' as const),
      path: fc.constantFrom('stray.txt', 'p/0/stray', 'z/q'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hand-edit' as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hand-delete' as const), index: fc.nat() }) },
);

/** The build folders in `builds` other than the live one that have a manifest (the spare, if any). */
function spares(builds: string): string[] {
  if (!existsSync(builds)) return [];
  const live = readlinkSync(join(builds, 'current'));
  return readdirSync(builds).filter(
    (name) => BUILDS_ID.test(name) && name !== live && existsSync(join(builds, `${name}.manifest.json`)),
  );
}

describe('writeOutputs with a spare build', () => {
  it('publishes exactly the planned files and never writes into the build a reader holds, whatever the sequence', async () => {
    let recycled = 0;
    let tidied = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 12 }), async (steps) => {
        const root = tempDir('bs-spare-');
        const out = join(root, 'out');
        const builds = join(root, '.out.builds');
        let site = new Map(UNIVERSE.filter((path) => path.startsWith('p/')).map((path) => [path, '0']));
        writeOutputs(out, outputsOf(site, false));
        // Files put into out/ by hand: there until the next build that publishes (a build that
        // changes no byte leaves the live build as it is).
        let strays = new Map<string, string>();
        for (const s of steps) {
          if (s.kind === 'stray') {
            const target = join(out, s.path);
            if (
              existsSync(dirname(target)) &&
              statSync(dirname(target)).isDirectory() &&
              !existsSync(target)
            ) {
              writeFileSync(target, 'stray');
              strays.set(s.path, 'stray');
            }
            continue;
          }
          if (s.kind === 'hand-delete') {
            // A page's folder removed from out/ (the live build) by hand, or a top-level file.
            const files = [...tree(out).files.keys()].sort();
            const path = files[s.index % files.length] as string;
            const folder = dirname(path);
            rmSync(join(out, folder === '.' ? path : folder), { recursive: true, force: true });
            for (const stray of [...strays.keys()])
              if (folder === '.' ? stray === path : stray.startsWith(`${folder}/`)) strays.delete(stray);
            continue;
          }
          if (s.kind === 'hand-edit') {
            const files = [...tree(out).files.keys()].sort();
            const path = files[s.index % files.length] as string;
            writeFileSync(join(out, path), 'edited by hand'); // in place: the inode the spare may share
            continue;
          }
          site = edited(site, s.changes);
          if (site.size === 0) site = new Map([['index.html', 'home']]);
          // What a reader holding the live build sees, before this build.
          const liveBefore = readlinkSync(join(builds, 'current'));
          const heldBefore = tree(join(builds, liveBefore));
          const spareBefore = spares(builds);
          // The spare cleared beforehand on its own thread (as a build does), or walked by the writer.
          const tidiedSpare = s.tidy ? await tidySpare(out) : null;
          if (tidiedSpare !== null) tidied++;
          writeOutputs(out, outputsOf(site, s.planned), undefined, { tidied: tidiedSpare });
          if (readlinkSync(join(builds, 'current')) !== liveBefore) strays = new Map();
          const now = tree(out);
          const expected = new Map([...site, ...strays]);
          expect(now.files).toEqual(expected);
          expect(now.folders).toEqual(foldersOf(expected.keys()));
          // The replaced build, when kept as the spare, is still what its readers saw.
          if (existsSync(join(builds, liveBefore)))
            expect(tree(join(builds, liveBefore))).toEqual(heldBefore);
          if (spareBefore.length === 1 && !existsSync(join(builds, spareBefore[0] as string))) recycled++;
          // At most the live build and one spare, each with its manifest.
          const folders = readdirSync(builds).filter((name) => BUILDS_ID.test(name));
          expect(folders.length).toBeLessThanOrEqual(2);
          for (const id of folders) expect(existsSync(join(builds, `${id}.manifest.json`))).toBe(true);
        }
      }),
      { numRuns: 100, seed: 20261205 },
    );
    // The sequences exercised the spare, not only fresh folders, both ways.
    expect(recycled).toBeGreaterThan(60);
    expect(tidied).toBeGreaterThan(30);
  });

  it('makes the spare over instead of a new folder: files no build changed keep their inode through both builds', () => {
    const root = tempDir('bs-spare-');
    const out = join(root, 'out');
    const pages = (edited: number, text: string) =>
      Array.from({ length: 40 }, (_, i) => ({
        path: `stories/s${i}/index.html`,
        contents: i === edited ? text : `story ${i}`,
      }));
    writeOutputs(out, pages(-1, ''));
    const inode = (path: string) => statSync(join(out, path)).ino;
    const untouched = inode('stories/s9/index.html');
    writeOutputs(out, pages(1, 'first correction'));
    const builds = readdirSync(join(root, '.out.builds')).filter((name) => BUILDS_ID.test(name));
    expect(builds).toHaveLength(2); // the live build and the one it replaced, kept as the spare
    const spare = builds.find((id) => id !== readlinkSync(join(root, '.out.builds', 'current'))) as string;
    expect(readFileSync(join(root, '.out.builds', spare, 'stories/s1/index.html'), 'utf8')).toBe('story 1');
    // A file of the spare replaced behind the writer's back (another inode, as a restore from
    // backup leaves it): its manifest entry no longer describes it, so it is linked again.
    const tampered = join(root, '.out.builds', spare, 'stories/s5/index.html');
    writeFileSync(`${tampered}.new`, 'tampered');
    renameSync(`${tampered}.new`, tampered);
    writeOutputs(out, pages(2, 'second correction'));
    expect(readFileSync(join(out, 'stories/s5/index.html'), 'utf8')).toBe('story 5');
    // The spare became the new build: its folder name is gone, the other two live on.
    expect(existsSync(join(root, '.out.builds', spare))).toBe(false);
    expect(readFileSync(join(out, 'stories/s1/index.html'), 'utf8')).toBe('story 1');
    expect(readFileSync(join(out, 'stories/s2/index.html'), 'utf8')).toBe('second correction');
    expect(inode('stories/s9/index.html')).toBe(untouched);
  });

  it('leaves the live build and drops the half-made spare when a render fails; the next build is whole', () => {
    const root = tempDir('bs-spare-');
    const out = join(root, 'out');
    const site = (text: string, failAt = -1): Output[] =>
      Array.from({ length: 20 }, (_, i) => ({
        path: `p/${i}.html`,
        key: `${text}:${i}`,
        render: () => {
          if (i === failAt) throw new Error('template failed');
          return i < 3 ? `${text} ${i}` : `same ${i}`;
        },
      }));
    writeOutputs(out, site('one'));
    writeOutputs(out, site('two'));
    expect(() => writeOutputs(out, site('three', 10))).toThrow('template failed');
    expect(readFileSync(join(out, 'p/0.html'), 'utf8')).toBe('two 0');
    const builds = join(root, '.out.builds');
    // Only the live build is left with a manifest; the spare was spent on the failed build.
    const withManifest = readdirSync(builds).filter((name) => name.endsWith('.manifest.json'));
    expect(withManifest).toEqual([`${readlinkSync(join(builds, 'current'))}.manifest.json`]);
    writeOutputs(out, site('four'));
    expect(tree(out).files).toEqual(
      new Map(Array.from({ length: 20 }, (_, i) => [`p/${i}.html`, i < 3 ? `four ${i}` : `same ${i}`])),
    );
  });

  it("stays exact while a killed build's tidying process still runs beside the next one", async () => {
    // A build killed with SIGKILL leaves its tidying process (a process of its own) running on
    // the spare; the next build starts its own on the same spare, then makes it over. Whatever
    // the interleaving, out/ must be exactly the next build, and the build it replaced whole.
    const root = tempDir('bs-spare-');
    const out = join(root, 'out');
    const builds = join(root, '.out.builds');
    const site = (round: number) =>
      new Map(
        Array.from({ length: 120 }, (_, i) => [`s/${i}/index.html`, i === round ? `edit ${round}` : `${i}`]),
      );
    writeOutputs(out, outputsOf(site(0), true));
    writeOutputs(out, outputsOf(site(1), true));
    for (let round = 2; round < 10; round++) {
      const [spare] = spares(builds);
      expect(spare).toBeDefined();
      // Strays in the spare (put into out/ by hand while it was live): work for both processes.
      for (let i = 0; i < 60; i++) {
        mkdirSync(join(builds, spare as string, `s/${i}/extra`), { recursive: true });
        for (let j = 0; j < 10; j++)
          writeFileSync(join(builds, spare as string, `s/${i}/extra/${j}`), 'stray');
      }
      const live = readlinkSync(join(builds, 'current'));
      const held = tree(join(builds, live));
      // The killed build's, never waited for by the next one: started with the next build's own
      // (both walk the spare at once), or just before its writer makes the spare over (it walks
      // while the spare is renamed away from under it).
      const early = round % 2 === 0 ? tidySpare(out) : null;
      const tidied = await tidySpare(out);
      const late = round % 2 === 1 ? tidySpare(out) : null;
      writeOutputs(out, outputsOf(site(round), true), undefined, { tidied });
      await Promise.all([early, late]); // done or failed: either way it changed nothing below
      const expected = site(round);
      expect(tree(out).files).toEqual(expected);
      expect(tree(out).folders).toEqual(foldersOf(expected.keys()));
      // The build it replaced is the new spare, as its readers saw it; nothing else is left.
      expect(tree(join(builds, live))).toEqual(held);
      expect(spares(builds)).toEqual([live]);
    }
  });

  it('drops the replaced build when the new one rewrote most of the site: no second copy of the bytes', () => {
    const root = tempDir('bs-spare-');
    const out = join(root, 'out');
    const site = (text: string) =>
      Array.from({ length: 20 }, (_, i) => ({ path: `p/${i}.html`, contents: `${text} ${i}` }));
    writeOutputs(out, site('one'));
    writeOutputs(out, site('two'));
    const folders = readdirSync(join(root, '.out.builds')).filter((name) => BUILDS_ID.test(name));
    expect(folders).toEqual([readlinkSync(join(root, '.out.builds', 'current'))]);
  });
});
