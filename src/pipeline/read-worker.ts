/**
 * A read helper thread (read-pool.ts): parses the files it is sent, works out what the build
 * keeps of each (story-digests.ts), and answers with each parse encoded as the parse cache
 * stores it, so the build's thread only stores it and reads it back as it reads a cached one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { encodeParse, parseSourceFile } from '../ingest/index.ts';
import type { ParseJob, ParseReply, ReadHelperData } from './read-pool.ts';
import { StoryDigests } from './story-digests.ts';

const port = parentPort;
if (!port) throw new Error('read-worker.ts runs as a worker thread (read-pool.ts starts it)');
const { options, derive } = workerData as ReadHelperData;

port.on('message', (jobs: ParseJob[]) => {
  // One table per batch: what it holds is sent back as strings, never used here again.
  const digests = derive ? new StoryDigests() : null;
  const replies = jobs.map(({ index, path, bytes }): ParseReply => {
    try {
      const parsed = parseSourceFile({ path, bytes }, options);
      return {
        index,
        encoded: encodeParse(parsed),
        derived: digests ? digests.derive(parsed.articles) : null,
        internal: parsed.diagnostics.some((d) => d.code === 'ingest/internal'),
      };
    } catch (error) {
      // parseSourceFile reports its own failures; this is one of the encoding or the digests.
      return { index, error: (error as Error)?.message ?? String(error) };
    }
  });
  port.postMessage(replies);
});
