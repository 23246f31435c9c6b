/**
 * How long a file must have been left alone before its stamp (size, times, inode) is trusted to
 * say its bytes are unchanged: a rewrite within one tick of the file system's clock keeps them.
 * Its own module so a replayed build (replay.ts) need not load the reader.
 */
export const SETTLE_MS = 2000;

/** What says a file is unchanged without reading it (as `git` and `make` judge): size, times, inode. */
export function statStamp(stats: {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}:${stats.dev}`;
}
