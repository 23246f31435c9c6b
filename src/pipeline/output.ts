import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { Output } from '../types.ts';

/** What the last build wrote (path → content hash, size, render key), so unchanged and stale files are known without reading them. */
export const MANIFEST = '.broadsheet-manifest.json';

export interface WriteSummary {
  written: number;
  unchanged: number;
  removed: number;
  /** Outputs rendered this build; the rest kept their render key and were not rendered at all. */
  rendered: number;
}

interface ManifestEntry {
  hash: string;
  size: number;
  key?: string;
}

type Manifest = Map<string, ManifestEntry>;

/**
 * A warm rebuild's memory of the manifest it wrote last (`serve`, the bench): while the file
 * on disk is the one it wrote (same size and mtime), it is not read and parsed again.
 */
export class WriteMemo {
  manifest: Manifest | null = null;
  stamp = '';
}

/**
 * Writes a build's files into `outDir`. A planned output whose render key matches the last
 * build's (and whose file is still there, same size) is not rendered at all; the others are
 * rendered one at a time and written to a temp file beside their target, so memory holds one
 * file, not the site. Only after every output rendered are the temp files renamed into place:
 * a reader (a feed reader polling rss.xml, `serve`) never sees half a file, and a build that
 * throws leaves out/ as it was. Files whose bytes did not change are left alone: their mtime
 * stays, which keeps ETags and Last-Modified honest. Files the previous build wrote and this
 * one did not are removed last. `keep` protects paths another command owns (e.g. `outbox/`).
 */
export function writeOutputs(
  outDir: string,
  outputs: Output[],
  keep: (path: string) => boolean = () => false,
  memo?: WriteMemo,
): WriteSummary {
  const manifestPath = join(outDir, MANIFEST);
  const previous =
    memo?.manifest && memo.stamp === fileStamp(manifestPath) ? memo.manifest : readManifest(outDir);
  const next: Manifest = new Map();
  // Whether the manifest must be written again (an entry added, changed or dropped).
  let manifestChanged = false;
  // Output paths written to temp files, renamed at the end. Paths only: a temp file's name is
  // worked out from its path and place here (tempPath); two full paths per output were ~30 MiB
  // at 100k outputs.
  const staged: string[] = [];
  const token = randomBytes(6).toString('hex');
  const summary: WriteSummary = { written: 0, unchanged: 0, removed: 0, rendered: 0 };
  // A build writes thousands of pages into a few hundred folders: create each folder once.
  const folders = new Set<string>();
  try {
    for (const output of outputs) {
      // Checked before anything is written for it; a throw leaves out/ as it was (only temp
      // files exist until every output is done, and the catch below removes them).
      checkPath(output.path, next);
      // The path is relative with no "..": no need for join's normalizing per file.
      const target = `${outDir}${sep}${output.path}`;
      const before = previous.get(output.path);
      const key = 'key' in output ? output.key : undefined;
      if (key !== undefined && before?.key === key && sizeOf(target) === before.size) {
        next.set(output.path, before);
        summary.unchanged++;
        continue;
      }
      manifestChanged = true;
      const contents = 'render' in output ? output.render() : output.contents;
      if ('render' in output) summary.rendered++;
      const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
      const entry: ManifestEntry = { hash: hashBytes(bytes), size: bytes.length, ...(key ? { key } : {}) };
      next.set(output.path, entry);
      if (before?.hash === entry.hash && sizeOf(target) === entry.size) {
        summary.unchanged++;
        continue;
      }
      writeTempAt(tempPath(outDir, output.path, token, staged.length), target, bytes, folders);
      staged.push(output.path);
    }
  } catch (error) {
    staged.forEach((path, n) => {
      rmSync(tempPath(outDir, path, token, n), { force: true });
    });
    throw error;
  }
  staged.forEach((path, n) => {
    renameSync(tempPath(outDir, path, token, n), `${outDir}${sep}${path}`);
  });
  summary.written = staged.length;
  for (const stale of previous.keys()) {
    if (next.has(stale)) continue;
    manifestChanged = true;
    if (keep(stale) || !isSafeRelativePath(stale)) continue;
    rmSync(join(outDir, stale), { force: true });
    summary.removed++;
  }
  // A rebuild that changed nothing leaves the manifest alone too (it is ~150 bytes per file).
  if (manifestChanged || !existsSync(manifestPath)) writeManifest(manifestPath, next);
  if (memo) {
    memo.manifest = next;
    memo.stamp = fileStamp(manifestPath);
  }
  return summary;
}

/** Writes `bytes` to `target` through a temp file and a rename, creating folders as needed. */
export function writeFileAtomic(target: string, bytes: Uint8Array | string, madeFolders?: Set<string>): void {
  replaceAtomically(target, (temp) => writeTempAt(temp, target, bytes, madeFolders));
}

/**
 * Replaces `target` with what `write` puts in a hidden temp file beside it, by a rename; on any
 * failure the temp file is removed and `target` is left as it was.
 */
function replaceAtomically(target: string, write: (temp: string) => void): void {
  const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    write(temp);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Writes `bytes` to `temp`, a file in `target`'s folder, creating the folder as needed. */
function writeTempAt(
  temp: string,
  target: string,
  bytes: Uint8Array | string,
  madeFolders?: Set<string>,
): void {
  const folder = dirname(target);
  if (!madeFolders?.has(folder)) {
    mkdirSync(folder, { recursive: true });
    madeFolders?.add(folder);
  }
  try {
    writeFileSync(temp, bytes);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** The hidden temp file the `n`th staged output is written to before its rename: `a/b/.<token>-<n>.tmp`. */
function tempPath(outDir: string, path: string, token: string, n: number): string {
  return `${outDir}${sep}${path.slice(0, path.lastIndexOf('/') + 1)}.${token}-${n}.tmp`;
}

/** A path the output folder may hold, claimed by one output only. */
function checkPath(path: string, claimed: Manifest): void {
  if (claimed.has(path)) throw new Error(`two outputs claim the same path: ${path}`);
  if (!isSafeRelativePath(path)) throw new Error(`output path escapes the output folder: ${path}`);
}

/** Relative, with no empty or ".." segment. Runs for every output of every build: no split. */
function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.endsWith('/') || path.includes('//')) return false;
  return !DOT_SEGMENT.test(path);
}

const DOT_SEGMENT = /(?:^|\/)\.\.(?:\/|$)/;

function hashBytes(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('base64url');
}

function fileStamp(path: string): string {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats ? `${stats.size}:${stats.mtimeMs}:${stats.ino}` : '';
}

function sizeOf(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? -1;
}

/**
 * Writes the manifest through a temp file and a rename: one entry per line, in the build's
 * output order (which is stable: the same site gives the same file). Not sorted: at 100k
 * outputs sorting cost as much as writing. Written in chunks, not built as one string: at 100k
 * outputs the lines and the text were ~30 MiB at the end of the build, its peak.
 */
function writeManifest(manifestPath: string, manifest: Manifest): void {
  replaceAtomically(manifestPath, (temp) => {
    const fd = openSync(temp, 'w');
    try {
      let chunk = '{\n';
      let first = true;
      for (const [path, entry] of manifest) {
        chunk += `${first ? '' : ',\n'} ${JSON.stringify(path)}: ${JSON.stringify(entry)}`;
        first = false;
        if (chunk.length >= 65_536) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      writeSync(fd, `${chunk}\n}\n`);
    } finally {
      closeSync(fd);
    }
  });
}

function readManifest(outDir: string): Manifest {
  const manifest: Manifest = new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(outDir, MANIFEST), 'utf8'));
  } catch {
    return manifest; // No manifest (first build) or an unreadable one: every file is new.
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return manifest;
  for (const [path, value] of Object.entries(parsed)) {
    // Older builds stored the hash alone: no size or key, so those files are rendered and compared.
    if (typeof value === 'string') manifest.set(path, { hash: value, size: -1 });
    else if (isEntry(value)) manifest.set(path, value);
  }
  return manifest;
}

function isEntry(value: unknown): value is ManifestEntry {
  const entry = value as ManifestEntry;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.hash === 'string' &&
    typeof entry.size === 'number' &&
    (entry.key === undefined || typeof entry.key === 'string')
  );
}
