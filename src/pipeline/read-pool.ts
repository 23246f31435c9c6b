import type { Worker } from 'node:worker_threads';
import type { EncodedParse, IngestOptions } from '../ingest/index.ts';
import { startHelperThread } from './threads.ts';

/**
 * Read helper threads: parsing is most of a read from nothing (~0.2 ms a file, ~1.6 s at 10k)
 * and each file's parse is its own, so other cores take batches of files while the build's
 * thread goes on finding, reading and storing. The build's thread parses a batch itself when
 * every helper is busy, so it never waits while there is parsing to do.
 */

/** What a read helper is started with. */
export interface ReadHelperData {
  options: IngestOptions;
  /** Whether to work out the story digests (story-digests.ts) the build keeps with each parse. */
  derive: boolean;
}

/** One file to parse: its place in the read, the path diagnostics name, its bytes. */
export interface ParseJob {
  index: number;
  path: string;
  bytes: Uint8Array;
}

export type ParseReply =
  | { index: number; encoded: EncodedParse; derived: string | null; internal: boolean }
  | { index: number; error: string };

export interface ReadPool {
  /** Gives `jobs` to an idle helper; false when every helper is busy (parse them yourself). */
  offer(jobs: ParseJob[]): boolean;
  /** Resolves once every batch given has been answered (or handed back as failed). */
  finish(): Promise<void>;
  /** Stops the helpers (after `finish`, or when the read ends early). */
  stop(): Promise<void>;
}

interface Helper {
  worker: Worker;
  /** Batches sent and not yet answered, oldest first. */
  queue: ParseJob[][];
  dead: boolean;
}

/**
 * Batches a helper may hold: one it parses and one waiting, so that it never sits idle while
 * the build's thread reads the next batch or parses one itself.
 */
const DEPTH = 2;

/**
 * `count` helpers. Replies arrive on the build's thread whenever it yields (`onReplies`); a
 * helper that dies (an exception outside a parse, out of memory) hands its batch back to
 * `onFailed`, to be parsed in the build's thread, and takes no more.
 */
export function startReadPool(
  count: number,
  data: ReadHelperData,
  onReplies: (replies: ParseReply[]) => void,
  onFailed: (jobs: ParseJob[]) => void,
): ReadPool {
  let settled: (() => void) | null = null;
  const helpers: Helper[] = Array.from({ length: count }, () => ({
    worker: startHelperThread('read-worker', data),
    queue: [],
    dead: false,
  }));
  const idle = () => helpers.every((helper) => helper.queue.length === 0);
  const fail = (helper: Helper) => {
    if (helper.dead) return;
    helper.dead = true;
    for (const jobs of helper.queue.splice(0)) onFailed(jobs);
    if (settled && idle()) settled();
  };
  for (const helper of helpers) {
    helper.worker.on('message', (replies: ParseReply[]) => {
      helper.queue.shift();
      onReplies(replies);
      if (settled && idle()) settled();
    });
    helper.worker.on('error', () => fail(helper));
    helper.worker.on('exit', () => fail(helper));
  }
  return {
    offer(jobs) {
      const open = helpers.filter((h) => !h.dead && h.queue.length < DEPTH);
      // The least loaded first: batches spread over the helpers.
      const helper = open.sort((a, b) => a.queue.length - b.queue.length)[0];
      if (!helper) return false;
      helper.queue.push(jobs);
      helper.worker.postMessage(jobs);
      return true;
    },
    finish() {
      if (idle()) return Promise.resolve();
      return new Promise((resolve) => {
        settled = resolve;
      });
    },
    async stop() {
      for (const helper of helpers) helper.dead = true;
      await Promise.all(helpers.map((helper) => helper.worker.terminate()));
    },
  };
}
