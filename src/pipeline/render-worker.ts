/**
 * A render helper thread (render-pool.ts): plans the site again from its copy of the stories
 * (planning is deterministic, so output `i` is the build's output `i`), then renders, hashes
 * and writes the jobs it claims into the new build folder, and answers with what it wrote.
 */
import { sep } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { compileSiteTheme, planSite, SiteTemplateError } from '../render/index.ts';
import type { PlannedOutput } from '../types.ts';
import type { RenderResult } from './output.ts';
import { writeUnlessSame } from './output-file.ts';
import type { HelperData, HelperError, HelperReply, HelperStart } from './render-pool.ts';
import { errorAsData } from './threads.ts';

const port = parentPort;
if (!port) throw new Error('render-worker.ts runs as a worker thread (render-pool.ts starts it)');

// Planned while the build's thread sorts out which files need rendering.
const planned = plan(workerData as HelperData);

port.once('message', (start: HelperStart) => {
  let reply: HelperReply;
  try {
    if ('error' in planned) throw planned.error;
    reply = { results: renderJobs(planned.outputs, start) };
  } catch (error) {
    // The build fails: the other threads need claim no more.
    Atomics.store(start.claim, 0, start.jobs.length);
    reply = { error: describe(error) };
  }
  port.postMessage(reply);
  port.close();
});

function plan(data: HelperData): { outputs: PlannedOutput[] } | { error: unknown } {
  try {
    return { outputs: planSite(data.items, { ...data.site, theme: compileSiteTheme(data.templates) }) };
  } catch (error) {
    return { error };
  }
}

function renderJobs(outputs: PlannedOutput[], { jobs, stage, claim }: HelperStart): RenderResult[] {
  const folders = new Set<string>();
  const results: RenderResult[] = [];
  for (let next = Atomics.add(claim, 0, 1); next < jobs.length; next = Atomics.add(claim, 0, 1)) {
    const { index, path, liveHash } = jobs[next] as HelperStart['jobs'][number];
    const output = outputs[index];
    // A plan that differs from the build's would write another file's bytes under this name.
    if (output?.path !== path)
      throw new Error(`render helper: planned ${output?.path ?? 'nothing'} where the build planned ${path}`);
    const file = writeUnlessSame(output.render(), liveHash, () => `${stage}${sep}${path}`, folders);
    results.push({ index, ...file });
  }
  return results;
}

/** An error as data: a template problem keeps its file and line, so the build reports it as one. */
function describe(error: unknown): HelperError {
  if (error instanceof SiteTemplateError) return { message: error.message, problems: error.problems };
  return errorAsData(error);
}
