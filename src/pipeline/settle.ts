/**
 * How long a file must have been left alone before its stamp (size, times, inode) is trusted to
 * say its bytes are unchanged: a rewrite within one tick of the file system's clock keeps them.
 * Its own module so a replayed build (replay.ts) need not load the reader.
 */
export const SETTLE_MS = 2000;
