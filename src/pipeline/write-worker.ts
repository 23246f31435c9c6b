/**
 * The writer thread (write-pool.ts): encodes, hashes and writes each rendered file it is sent,
 * exactly as the build's thread would (`writeUnlessSame`), and answers each batch with what
 * became of its files. The first failure (a full disk) is the answer; nothing after it is written.
 */
import { parentPort } from 'node:worker_threads';
import type { RenderResult } from './output.ts';
import { writeUnlessSame } from './output-file.ts';
import { errorAsData } from './threads.ts';
import type { WriteJob, WriteReply } from './write-pool.ts';

const port = parentPort;
if (!port) throw new Error('write-worker.ts runs as a worker thread (write-pool.ts starts it)');

const folders = new Set<string>();
let failed = false;

port.on('message', (jobs: WriteJob[]) => {
  if (failed) return;
  let reply: WriteReply;
  try {
    const results: RenderResult[] = jobs.map(({ index, contents, liveHash, target }) => ({
      index,
      ...writeUnlessSame(contents, liveHash, () => target, folders),
    }));
    reply = { results };
  } catch (error) {
    failed = true;
    reply = { error: errorAsData(error) };
  }
  port.postMessage(reply);
});
