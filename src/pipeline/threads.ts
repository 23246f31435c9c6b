import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';

/**
 * Helper threads, for the two steps whose work is per file: parsing new article files
 * (read-pool.ts) and rendering the site's outputs (render-pool.ts). `build.threads` sets how
 * many threads in all; 0 asks the machine how many cores are idle.
 */

/**
 * `build.threads` less this one. 0: one per core that was idle while this build read, deduped
 * and planned (`since`), never more than the cores less one: on a 2-core machine kept busy by
 * others, a 10k build from nothing with a helper took ~3 s longer (~20% more CPU: the stories
 * copied, the site planned twice, a second heap) for no time of its own (docs/benchmarks.md).
 */
export function helpersFor(threads: number, since: CpuSample | undefined): number {
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

/**
 * Starts `module` (a file beside this one: `render-worker`, `read-worker`) as a helper thread,
 * given `data`. Never what keeps the process alive: whoever starts helpers stops them.
 */
export function startHelperThread(
  module: 'render-worker' | 'read-worker' | 'write-worker',
  data: unknown,
  resourceLimits?: ResourceLimits,
): Worker {
  const limits = resourceLimits ? { resourceLimits } : {};
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(throughTsx(new URL(`./${module}.ts`, import.meta.url)), {
        eval: true,
        workerData: data,
        ...limits,
      })
    : new Worker(new URL(`./${module}.js`, import.meta.url), { workerData: data, ...limits });
  worker.unref();
  return worker;
}

/** An error as a helper thread sends it: an Error's class does not cross, its fields do. */
export interface ErrorData {
  message: string;
  stack?: string;
  /** A system error's code (ENOSPC, EACCES): the command's message and exit code depend on it. */
  code?: string;
}

/** `error` as data a helper can post. */
export function errorAsData(error: unknown): ErrorData {
  const { message, stack } = error instanceof Error ? error : new Error(String(error));
  const code = (error as { code?: unknown } | null)?.code;
  return { message, ...(stack ? { stack } : {}), ...(typeof code === 'string' ? { code } : {}) };
}

/** The helper's error as the build's thread would have thrown it: a full disk is still ENOSPC. */
export function errorFromData({ message, stack, code }: ErrorData): Error {
  const error: NodeJS.ErrnoException = new Error(message);
  if (stack) error.stack = stack;
  if (code) error.code = code;
  return error;
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
