import { spawn } from 'node:child_process';
import { spareBuild } from './output.ts';

/**
 * Clears the spare build (see `recycleSpare` in output.ts) of whatever its manifest does not
 * list, in a process of its own, while the build reads and plans. The writer must know that the
 * spare holds exactly what its manifest lists before it makes it over from the manifests; finding
 * that out is a walk of every folder (~11,000 at 10k stories, ~101,000 at 100k: 0.1-0.7 s and
 * 0.9-3.9 s, the most when the folders are not in the kernel's cache), which here costs the build
 * nothing on a second core.
 *
 * Resolves to the spare's id once its folder holds exactly its manifest's files (a file the
 * manifest lists may be missing: the writer checks each before it keeps it), or null: no spare,
 * or the walk failed (the writer then walks the spare itself, as without this). Only what the
 * manifest does not list is removed, so the spare stays valid at every moment: a build killed
 * meanwhile leaves it as good as it found it (and the next build's rename of the spare ends a
 * walk that outlived it: the paths it walks are gone). The caller holds the build lock, and
 * waits for this before it releases the lock.
 */
export function tidySpare(outDir: string): Promise<string | null> {
  const spare = spareBuild(outDir);
  if (spare === null) return Promise.resolve(null);
  return new Promise((resolve) => {
    // A process, not a worker thread: a thread's garbage stays in this process's memory after
    // it ends (glibc keeps its arena), ~60-100 MiB more peak RSS in a 100k-story build.
    const child = spawn(process.execPath, ['-e', TIDY_SCRIPT, spare.folder, spare.manifest], {
      stdio: 'ignore',
    });
    child.once('error', () => resolve(null));
    child.once('exit', (code) => resolve(code === 0 ? spare.id : null));
  });
}

/**
 * The walk itself, as a plain script (`node -e` needs no loader, whether the build runs from
 * src/ through tsx or from dist/); it exits 0 once done, non-zero on any error. It lists the
 * manifest's files and their folders, then removes anything else: a stray file, a folder no
 * listed file is in, a folder where a file is listed.
 */
const TIDY_SCRIPT = String.raw`
const { readdirSync, readFileSync, rmSync } = require('node:fs');
const [root, manifest] = process.argv.slice(1);
// The paths only, line by line (the writer puts one entry on each line): parsing the whole
// manifest would hold every entry's object, ~50 MB more at 100k stories, during the build's read.
const listed = new Set();
for (const line of readFileSync(manifest, 'utf8').split('\n')) {
  const key = /^ ?("(?:[^"\\]|\\.)*"): /.exec(line);
  if (key) listed.add(JSON.parse(key[1]));
}
const folders = new Set();
for (const path of listed)
  for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) folders.add(path.slice(0, slash));
const walk = (folder) => {
  const here = folder === '' ? root : root + '/' + folder;
  for (const entry of readdirSync(here, { withFileTypes: true })) {
    const path = folder === '' ? entry.name : folder + '/' + entry.name;
    if (entry.isDirectory() && folders.has(path)) walk(path);
    else if (entry.isDirectory() || !listed.has(path)) rmSync(here + '/' + entry.name, { recursive: true, force: true });
  }
};
walk('');
`;
