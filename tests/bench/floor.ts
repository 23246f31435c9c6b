/**
 * The floor: the least any build of a corpus must do, reading every file and hashing it.
 * A build can't beat it, so "full build ÷ floor" says how much work we add on top of the disk,
 * independent of how fast this machine's disk and CPU are.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { outputLayout } from '../../src/pipeline/output.ts';

export interface FloorResult {
  files: number;
  bytes: number;
  /** Wall time of the fastest run, in seconds. */
  seconds: number;
}

/** Every regular file under `dir`, recursively, sorted (the build reads them in that order too). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

/** Lists, reads and sha256-hashes every file under `dir` once. */
export function readAndHash(dir: string): { files: number; bytes: number; digest: string } {
  const files = listFiles(dir);
  const all = createHash('sha256');
  let bytes = 0;
  for (const file of files) {
    const data = readFileSync(file);
    bytes += data.length;
    all.update(createHash('sha256').update(data).digest());
  }
  return { files: files.length, bytes, digest: all.digest('hex') };
}

/**
 * Times `readAndHash` `runs` times and keeps the fastest: the first run may still fault pages in
 * from disk, and the build that follows reads from the same warm page cache.
 */
export function measureFloor(dir: string, runs = 3): FloorResult {
  let best = Number.POSITIVE_INFINITY;
  let files = 0;
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = readAndHash(dir);
    best = Math.min(best, (performance.now() - started) / 1000);
    files = result.files;
    bytes = result.bytes;
  }
  return { files, bytes, seconds: best };
}

/**
 * The write floor: writing the bytes of a finished `out/` again into an empty folder (a folder
 * and a plain write per file: no rendering, no temp file and rename), so the build's own output
 * has a floor too. On a disk where creating files is slow this alone is many times the read floor.
 */
export function measureWriteFloor(outDir: string, scratch: string): FloorResult {
  const files = listFiles(outDir).map((file) => ({
    path: relative(outDir, file),
    bytes: readFileSync(file),
  }));
  rmSync(scratch, { recursive: true, force: true });
  const made = new Set<string>();
  let bytes = 0;
  const started = performance.now();
  for (const file of files) {
    const target = join(scratch, file.path);
    const folder = dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    writeFileSync(target, file.bytes);
    bytes += file.bytes.length;
  }
  const seconds = (performance.now() - started) / 1000;
  removeAndSettle(scratch);
  return { files: files.length, bytes, seconds };
}

/**
 * Removes a folder and waits for the disk to finish with it (`sync`), outside any timed section.
 * On this kind of machine (ext4 mounted with `discard`) deleting a 14k-file out/ leaves seconds of
 * journal work behind, and a build timed right after it measured the deletion: the same 10k
 * render + write took 3 s after a quiet disk and 18 s right after a deletion.
 */
export function removeAndSettle(path: string): void {
  rmSync(path, { recursive: true, force: true });
  spawnSync('sync');
}

/**
 * What "from nothing" means: no out/, no state, no parse cache, and no earlier build folders
 * beside out/. Those hold every rendered file with its render key in the manifest: a build that
 * finds them renders nothing it already rendered (the CLI rows measured 7.9 s "from nothing" at
 * 10k that way, when rendering everything takes ~2× that).
 */
export function removeEverythingBuilt(work: string): void {
  const out = join(work, 'out');
  for (const path of [out, outputLayout(out).builds, join(work, 'state'), join(work, '.broadsheet')])
    removeAndSettle(path);
}
