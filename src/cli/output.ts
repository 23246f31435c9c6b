import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OutputFile } from '../types.ts';

/** What the last build wrote (path → content hash), so unchanged and stale files are known without reading them. */
export const MANIFEST = '.broadsheet-manifest.json';

export interface WriteSummary {
  written: number;
  unchanged: number;
  removed: number;
}

type Manifest = Record<string, string>;

/**
 * Writes a build's files into `outDir`. Each file goes to a temp file beside it and is renamed
 * into place, so a reader (a feed reader polling rss.xml, `serve`) never sees half a file.
 * Files whose bytes did not change are left alone: their mtime stays, which keeps ETags and
 * Last-Modified honest and makes a one-article rebuild touch one page. Files the previous build
 * wrote and this one did not are removed last, after everything new is in place.
 * `keep` protects paths another command owns (e.g. `outbox/`, written by `send`).
 */
export function writeOutputs(
  outDir: string,
  files: OutputFile[],
  keep: (path: string) => boolean = () => false,
): WriteSummary {
  const previous = readManifest(outDir);
  const planned = planOutputs(files);
  const summary: WriteSummary = { written: 0, unchanged: 0, removed: 0 };
  // A build writes thousands of pages into a few hundred folders: create each folder once.
  const folders = new Set<string>();
  for (const { path, bytes, hash } of planned) {
    const target = join(outDir, path);
    if (previous[path] === hash && sizeOf(target) === bytes.length) {
      summary.unchanged++;
      continue;
    }
    writeFileAtomic(target, bytes, folders);
    summary.written++;
  }
  const next: Manifest = Object.fromEntries(planned.map(({ path, hash }) => [path, hash]));
  for (const stale of Object.keys(previous)) {
    if (stale in next || keep(stale) || !isSafeRelativePath(stale)) continue;
    rmSync(join(outDir, stale), { force: true });
    summary.removed++;
  }
  const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileAtomic(join(outDir, MANIFEST), `${JSON.stringify(sorted, null, 1)}\n`);
  return summary;
}

/** Writes `bytes` to `target` through a temp file and a rename, creating folders as needed. */
export function writeFileAtomic(target: string, bytes: Uint8Array | string, madeFolders?: Set<string>): void {
  const folder = dirname(target);
  if (!madeFolders?.has(folder)) {
    mkdirSync(folder, { recursive: true });
    madeFolders?.add(folder);
  }
  const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Checks every path and hashes every file before anything is written: a bad list leaves out/ untouched. */
function planOutputs(files: OutputFile[]): { path: string; bytes: Buffer; hash: string }[] {
  const seen = new Set<string>();
  return files.map((file) => {
    if (seen.has(file.path)) throw new Error(`two outputs claim the same path: ${file.path}`);
    if (!isSafeRelativePath(file.path))
      throw new Error(`output path escapes the output folder: ${file.path}`);
    seen.add(file.path);
    const bytes =
      typeof file.contents === 'string' ? Buffer.from(file.contents, 'utf8') : Buffer.from(file.contents);
    return { path: file.path, bytes, hash: hashBytes(bytes) };
  });
}

function isSafeRelativePath(path: string): boolean {
  return (
    path.length > 0 && !path.startsWith('/') && !path.split('/').some((part) => part === '..' || part === '')
  );
}

function hashBytes(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('base64url');
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}

function readManifest(outDir: string): Manifest {
  try {
    const parsed = JSON.parse(readFileSync(join(outDir, MANIFEST), 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return Object.fromEntries(
        Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    }
  } catch {
    // No manifest (first build) or an unreadable one: treat every file as new.
  }
  return {};
}
