import { createHash } from 'node:crypto';
import { type BigIntStats, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * One output's bytes into a build folder: shared by the writer (output.ts) and its helper
 * threads (render-worker.ts), so a file a helper wrote has the hash and stamp the writer would
 * have given it.
 */

/** What became of one output's bytes. */
export interface WrittenFile {
  hash: string;
  size: number;
  /** Set when the bytes were written; absent when they were the live file's (the caller keeps that). */
  stamp?: string | undefined;
  written: boolean;
}

/**
 * Hashes `contents` and writes them to `target()`, unless they hash to `liveHash` (the live
 * file, intact, already holds them): `target` is only asked for when a file is written, so a
 * build that changes no byte makes no folder.
 */
export function writeUnlessSame(
  contents: string | Uint8Array,
  liveHash: string | null,
  target: () => string,
  folders: Set<string>,
): WrittenFile {
  const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
  const hash = hashBytes(bytes);
  if (liveHash === hash) return { hash, size: bytes.length, written: false };
  const path = target();
  ensureFolder(dirname(path), folders);
  writeNewFile(path, bytes);
  return { hash, size: bytes.length, stamp: stampOf(path), written: true };
}

/**
 * Writes `bytes` as a new file at `path`, never into one already there: a build folder made over
 * from the spare (output.ts) holds hard links to the live build's files, and writing into one
 * would change the live site's bytes in place. A file in the way is unlinked first.
 */
function writeNewFile(path: string, bytes: Uint8Array): void {
  try {
    writeFileSync(path, bytes, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    rmSync(path, { force: true });
    writeFileSync(path, bytes, { flag: 'wx' });
  }
}

/** Creates `folder` (and its parents) once per build: thousands of pages share a few hundred folders. */
export function ensureFolder(folder: string, made: Set<string>): void {
  if (made.has(folder)) return;
  // Recursive: also quiet when another thread of the build made it first.
  mkdirSync(folder, { recursive: true });
  made.add(folder);
}

function hashBytes(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('base64url');
}

/** Inode and mtime (ns), short: one is kept per output through the build's peak. The size is the entry's. */
export function stampOf(path: string): string | undefined {
  const stats = statSync(path, { throwIfNoEntry: false, bigint: true });
  return stats ? stamp(stats) : undefined;
}

export function stamp(stats: BigIntStats): string {
  return `${stats.ino.toString(36)}.${stats.mtimeNs.toString(36)}`;
}
