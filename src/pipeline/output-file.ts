import { createHash } from 'node:crypto';
import {
  type BigIntStats,
  closeSync,
  constants,
  copyFileSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
 * Copies a file into the build (`copied.copyFrom` to `target()`) unless the live build holds it
 * (`liveHash`, the hash it was published under). The kernel copies it (a reflink where the file
 * system has them): no byte passes through this process, and a 1 GB episode takes ~0.3 s, where
 * reading, hashing and writing it took 2-4 s. Its hash is the one the build measured and named it
 * by; a file whose size changed since (edited while the build ran) stops the build before it is
 * published, as a file that vanished does.
 */
export function copyUnlessSame(
  copied: { copyFrom: string; hash: string; size: number },
  liveHash: string | null,
  target: () => string,
  folders: Set<string>,
): WrittenFile {
  const { copyFrom, hash, size } = copied;
  if (liveHash === hash) return { hash, size, written: false };
  const path = target();
  ensureFolder(dirname(path), folders);
  copyNewFile(copyFrom, path);
  const written = statSync(path, { bigint: true });
  if (written.size !== BigInt(size))
    throw new Error(
      `${copyFrom} changed while the build ran (${size} bytes when measured, ${written.size} copied); build again`,
    );
  return { hash, size, stamp: stamp(written), written: true };
}

/**
 * A file's hash and size, read a megabyte at a time. `first` is shown the first chunk (its bytes
 * are reused once it returns), so a caller that also needs the file's head reads it only once.
 */
export function hashFile(
  path: string,
  algorithm: 'sha1' | 'sha256',
  encoding: 'hex' | 'base64url',
  first?: (chunk: Uint8Array) => void,
): { hash: string; size: number } {
  const digest = createHash(algorithm);
  const fd = openSync(path, 'r');
  try {
    let shown = first === undefined;
    const size = eachChunk(fd, (chunk) => {
      if (!shown) {
        shown = true;
        first?.(chunk);
      }
      digest.update(chunk);
    });
    return { hash: digest.digest(encoding), size };
  } finally {
    closeSync(fd);
  }
}

/** The first `limit` bytes of a file (fewer when it is shorter). */
export function readHead(path: string, limit: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    // Sized by the file: a picture's head was a zeroed 512 KB each, however small the picture.
    const room = Math.min(limit, Math.max(fstatSync(fd).size, 1));
    const buffer = Buffer.allocUnsafe(room);
    let filled = 0;
    for (let n = -1; n !== 0 && filled < room; filled += n)
      n = readSync(fd, buffer, filled, room - filled, null);
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

const CHUNK_BYTES = 1 << 20;

/**
 * The one chunk buffer of this thread, reused by every call: a megabyte allocated per file was
 * 100 GB of garbage for the no-change snapshot of 100,000 fresh article files (a checkout built at
 * once), and 71 s of garbage collection in that build. Reads are synchronous, so no two calls share it.
 */
let chunkBuffer: Buffer | undefined;

/** Hands `fd`'s bytes to `each` a chunk at a time (the chunk is reused: copy what is kept); gives the size. */
function eachChunk(fd: number, each: (chunk: Uint8Array) => void): number {
  chunkBuffer ??= Buffer.allocUnsafe(CHUNK_BYTES);
  const buffer = chunkBuffer;
  let size = 0;
  let n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
  while (n > 0) {
    each(buffer.subarray(0, n));
    size += n;
    n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
  }
  return size;
}

/** Copies `source` to a new file at `path`: as writeNewFile, never into a file already there. */
function copyNewFile(source: string, path: string): void {
  const flags = constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE;
  try {
    copyFileSync(source, path, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    rmSync(path, { force: true });
    copyFileSync(source, path, flags);
  }
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
