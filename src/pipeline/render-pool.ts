import type { Worker } from 'node:worker_threads';
import { isPaged } from '../ingest/index.ts';
import { type SiteOptions, SiteTemplateError, type SiteTemplates } from '../render/index.ts';
import type { Item } from '../types.ts';
import type { RenderHelpers, RenderJob, RenderResult } from './output.ts';
import { templatesOf } from './theme.ts';
import { type CpuSample, type ErrorData, errorFromData, helpersFor, startHelperThread } from './threads.ts';

/**
 * Helper threads for the writer (`build.threads`): rendering and writing the site's files is
 * most of a build from nothing (~1 ms a story at 10k), and each file is independent of the
 * others, so a second core halves it. Each helper gets a copy of the stories and the site's
 * options once, plans the site again (render-worker.ts) and renders the files it claims.
 *
 * Only while every story's text is in memory: a paged story (ingest.textMemoryMB, see
 * paged-text.ts) would be copied with all its text loaded, the memory paging saves.
 */

/** `build.threads: 0` starts helpers for this many files to render or more (a thread starts in ~0.1-1 s). */
export const AUTO_MIN_JOBS = 1_000;

export interface RenderPoolOptions {
  /** `build.threads`: threads in all, this one included; 0: one per idle core. */
  threads: number;
  /** For `threads: 0`: the machine's CPU times when the build started (idle cores since then). */
  since?: CpuSample | undefined;
  items: Item[];
  /** What the site was planned with (its theme from loadSiteTheme). */
  site: SiteOptions;
  /** How many planned site outputs come first in the writer's list. */
  outputs: number;
}

/** What a helper thread is started with. */
export interface HelperData {
  items: Item[];
  site: Omit<SiteOptions, 'theme'>;
  templates: SiteTemplates;
}

/** What a helper is sent once the writer knows which files need rendering. */
export interface HelperStart {
  jobs: RenderJob[];
  stage: string;
  claim: Int32Array;
}

export interface HelperError extends ErrorData {
  problems?: SiteTemplateError['problems'];
}

export type HelperReply = { results: RenderResult[] } | { error: HelperError };

/**
 * Helpers for `writeOutputsShared`, or undefined when the build renders in one thread (one
 * thread configured or one core, paged story text, a theme not read by loadSiteTheme).
 */
export function renderPool({
  threads,
  items,
  site,
  outputs,
  since,
}: RenderPoolOptions): RenderHelpers | undefined {
  const helperCount = helpersFor(threads, since);
  const templates = site.theme ? templatesOf(site.theme) : undefined;
  if (helperCount < 1 || templates === undefined || items.some(isPaged)) return undefined;
  const { theme: _compiled, ...plainSite } = site;
  let running: Worker[] = [];
  return {
    outputs,
    minJobs: threads === 0 ? AUTO_MIN_JOBS : 1,
    start(jobs, stage, claim) {
      const data: HelperData = { items, site: plainSite, templates };
      running = Array.from({ length: helperCount }, () => startHelperThread('render-worker', data));
      const replies = running.map((worker) => resultsOf(worker, { jobs, stage, claim }));
      return Promise.all(replies).then((done) => done.flat());
    },
    async stop() {
      const stopping = running;
      running = [];
      await Promise.all(stopping.map((worker) => worker.terminate()));
    },
  };
}

function resultsOf(worker: Worker, start: HelperStart): Promise<RenderResult[]> {
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: HelperReply) => {
      if ('results' in reply) resolve(reply.results);
      else reject(errorFrom(reply.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`a render helper thread stopped (exit code ${code}) before it finished`)),
    );
    worker.postMessage(start);
  });
}

/** The helper's error as the build's thread would have thrown it (a template problem stays one). */
function errorFrom(error: HelperError): Error {
  return error.problems ? new SiteTemplateError(error.problems) : errorFromData(error);
}
