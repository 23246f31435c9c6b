import type { Worker } from 'node:worker_threads';
import type { RenderResult } from './output.ts';
import { AUTO_MIN_JOBS } from './render-pool.ts';
import { type CpuSample, type ErrorData, errorFromData, helpersFor, startHelperThread } from './threads.ts';

/**
 * A writer thread, for a build that renders in its own thread (paged story text: render-pool.ts
 * cannot copy the stories to helpers). The build's thread renders each file and hands the text
 * over; the writer encodes, hashes and writes it (write-worker.ts). Those are a third of a 100k
 * build's write stage in one thread (encoding 3.6 s, hashing 4 s, mkdir/open/write/stat ~10 s
 * of ~50 s, profiled), and they need nothing but the bytes: no copy of the stories, no plan.
 */

/** One rendered file for the writer: the same arguments `writeUnlessSame` takes. */
export interface WriteJob {
  index: number;
  contents: string | Uint8Array;
  liveHash: string | null;
  /** Where to write it (the stage folder's path and the output's). */
  target: string;
}

export type WriteReply = { results: RenderResult[] } | { error: ErrorData };

/** The writer as the build's writer (output.ts) uses it. */
export interface FileWriter {
  /** Queues one file; sent in batches. Throws the writer's error once it failed. */
  send(job: WriteJob): void;
  /** Whether more may be sent now: false while the writer holds as much as it may. */
  hasRoom(): boolean;
  /** Resolves when the writer answers a batch (rejects with its error). */
  next(): Promise<void>;
  /** The files written since the last call, each with its index. */
  take(): RenderResult[];
  /** Sends what is queued and resolves once every file sent is written. */
  finish(): Promise<void>;
  /** Ends the thread (resolves once it is gone: it writes nothing after). */
  stop(): Promise<void>;
}

/** What the writer (output.ts) is given: whether to start one, and starting it. */
export interface WriterPool {
  /** Fewer files to render than this are written here (a thread takes longer to start). */
  readonly minJobs: number;
  start(): FileWriter;
}

/** A batch is sent at this many files or characters, whichever comes first. */
const BATCH_FILES = 32;
const BATCH_CHARS = 512 * 1024;
/**
 * Batches sent and not answered: enough that the writer never waits for the next one, few
 * enough that the rendered text waiting is a few megabytes at most.
 */
const DEPTH = 4;

/** A writer for `build.threads`, or undefined when the build has no thread to spare. */
export function writePool(threads: number, since?: CpuSample): WriterPool | undefined {
  if (helpersFor(threads, since) < 1) return undefined;
  return { minJobs: threads === 0 ? AUTO_MIN_JOBS : 1, start: startWriter };
}

/**
 * The writer keeps nothing but the folders it made, and each file's text is garbage once written:
 * a young generation of 2 MB, not V8's default 16-32. 10k paged: +25 MB of peak RSS over one
 * thread, against +50-60 MB with V8's default, no slower; 100k on a tmpfs: 994 MiB against 1,054.
 */
const WRITER_LIMITS = { maxYoungGenerationSizeMb: 2 };

function startWriter(): FileWriter {
  const worker: Worker = startHelperThread('write-worker', null, WRITER_LIMITS);
  let batch: WriteJob[] = [];
  let batchChars = 0;
  let waiting = 0;
  let results: RenderResult[] = [];
  let failure: Error | null = null;
  let wake: { resolve: () => void; reject: (error: Error) => void } | null = null;
  const fail = (error: Error): void => {
    failure ??= error;
    wake?.reject(failure);
    wake = null;
  };
  worker.on('message', (reply: WriteReply) => {
    waiting--;
    if ('error' in reply) return fail(errorFromData(reply.error));
    results = results.length === 0 ? reply.results : results.concat(reply.results);
    wake?.resolve();
    wake = null;
  });
  worker.on('error', fail);
  worker.on('exit', (code) =>
    fail(new Error(`the writer thread stopped (exit code ${code}) before it finished`)),
  );
  const flush = (): void => {
    if (batch.length === 0) return;
    waiting++;
    worker.postMessage(batch);
    batch = [];
    batchChars = 0;
  };
  const answered = (): Promise<void> => {
    if (failure) return Promise.reject(failure);
    if (waiting === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      wake = { resolve, reject };
    });
  };
  return {
    send(job) {
      if (failure) throw failure;
      batch.push(job);
      batchChars += job.contents.length;
      if (batch.length >= BATCH_FILES || batchChars >= BATCH_CHARS) flush();
    },
    hasRoom: () => waiting < DEPTH,
    next: answered,
    take() {
      const taken = results;
      results = [];
      return taken;
    },
    async finish() {
      flush();
      while (waiting > 0 || failure) await answered();
    },
    async stop() {
      // Its own end is not a failure once asked for.
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
