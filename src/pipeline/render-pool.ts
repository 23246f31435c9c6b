import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isPaged } from '../ingest/index.ts';
import { type SiteOptions, SiteTemplateError, type SiteTemplates } from '../render/index.ts';
import type { Item } from '../types.ts';
import type { RenderHelpers, RenderJob, RenderResult } from './output.ts';
import { templatesOf } from './theme.ts';

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

export interface HelperError {
  message: string;
  stack?: string;
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
      running = Array.from({ length: helperCount }, () => startHelper(data));
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

/**
 * `build.threads` less this one. 0: one per core that was idle while this build read, deduped
 * and planned (`since`), never more than the cores less one: on a 2-core machine kept busy by
 * others, a 10k build from nothing with a helper took ~3 s longer (~20% more CPU: the stories
 * copied, the site planned twice, a second heap) for no time of its own (docs/benchmarks.md).
 */
function helpersFor(threads: number, since: CpuSample | undefined): number {
  if (threads > 0) return threads - 1;
  const cores = availableParallelism();
  const idle = since ? idleCores(since, cpuSample()) : null;
  // Rounded: at 10k a helper gained 2-4 s where others left a core idle, and lost ~3 s where
  // they kept both busy. The 1-minute load average only stands in for a build too short to
  // measure: it counts this build's own last minute, and the processes that ran just before.
  const spare = Math.round(idle ?? cores - (loadavg()[0] ?? 0));
  return Math.max(0, Math.min(cores - 1, spare));
}

/** The machine's CPU time so far, idle and busy, over all its cores (ms). */
export interface CpuSample {
  cores: number;
  idleMs: number;
  busyMs: number;
}

/** Reads the machine's CPU times (/proc/stat on Linux): a build's start and its render decision. */
export function cpuSample(): CpuSample {
  const all = cpus();
  let idleMs = 0;
  let busyMs = 0;
  for (const { times } of all) {
    idleMs += times.idle;
    busyMs += times.user + times.nice + times.sys + times.irq;
  }
  return { cores: all.length, idleMs, busyMs };
}

/**
 * Cores left idle between two samples (this build's own thread is busy, so not among them), or
 * null when too little time passed to tell (under a second of CPU time, all cores together).
 */
export function idleCores(before: CpuSample, after: CpuSample): number | null {
  const idle = after.idleMs - before.idleMs;
  const busy = after.busyMs - before.busyMs;
  const { cores } = after;
  // No cores listed (some containers and platforms): nothing to tell by.
  if (cores === 0 || cores !== before.cores || idle < 0 || busy < 0 || idle + busy < 1000 * cores)
    return null;
  return (cores * idle) / (idle + busy);
}

function startHelper(data: HelperData): Worker {
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(throughTsx(new URL('./render-worker.ts', import.meta.url)), { eval: true, workerData: data })
    : new Worker(new URL('./render-worker.js', import.meta.url), { workerData: data });
  // Never what keeps the process alive: the writer stops its helpers when it is done.
  worker.unref();
  return worker;
}

/**
 * From src/ the helper is TypeScript too, run through tsx, which a worker does not inherit (nor
 * does `--import tsx` in its execArgv take, on Node 20): the worker registers it first.
 */
function throughTsx(module: URL): string {
  const tsx = tsxApi();
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`;
}

/** tsx's ESM API (`tsx/esm/api` as an import resolves it; a require would give its CommonJS twin). */
function tsxApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8'));
  return new URL(exports['./esm/api'].import.default, pathToFileURL(manifest)).href;
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
function errorFrom({ message, stack, problems }: HelperError): Error {
  if (problems) return new SiteTemplateError(problems);
  const error = new Error(message);
  if (stack) error.stack = stack;
  return error;
}
