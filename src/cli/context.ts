import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { DateTime } from 'luxon';
import { ConfigError, type Env, loadConfig, readEnv, resolvePath } from '../config/index.ts';
import type { PipelineHost } from '../pipeline/host.ts';
import { lockFileBeside, openCacheFile, openState } from '../state/index.ts';
import type { Diagnostic } from '../types.ts';
import { printable, printDiagnostics, setQuietProcess } from './print.ts';
import { startProgress } from './progress.ts';

// Printing lives in ./print.ts (no config schema, no SQLite): a replayed build prints without
// loading them. Re-exported here, where the commands have always found it.
export { ExitCode, formatDiagnostic, printDiagnostics, printJson } from './print.ts';

export interface GlobalOptions {
  config?: string;
  quiet?: boolean;
}

/** Everything impure a command needs, gathered once at the edge; a pipeline run's host too. */
export interface Context extends PipelineHost {
  env: Env;
  /** The build's "now": SOURCE_DATE_EPOCH when set, so output is reproducible. */
  now: DateTime;
  quiet: boolean;
}

export function createContext(options: GlobalOptions): Context {
  const loaded = loadConfig(options.config ?? null);
  const env = readEnv(process.env, (path) => readFileSync(path, 'utf8'));
  const now =
    env.sourceDateEpoch === null
      ? DateTime.now()
      : DateTime.fromSeconds(env.sourceDateEpoch, { zone: 'utc' });
  const quiet = Boolean(options.quiet);
  setQuietProcess(quiet);
  return {
    loaded,
    env,
    now: now.setZone(loaded.config.site.timeZone),
    quiet,
    path: (configured) => resolvePath(loaded, configured),
    openState: () => openState(resolvePath(loaded, loaded.config.paths.state)),
    openCache: () => openCacheFile(resolvePath(loaded, loaded.config.paths.cache)),
    lockPath: (what) => lockFileBeside(resolvePath(loaded, loaded.config.paths.state), what),
    log: (message) => {
      if (!quiet) process.stderr.write(`${printable(message, false)}\n`);
    },
    report: (diagnostics, urgent) => printDiagnostics(diagnostics, urgent ? false : quiet),
    progress: (label, total) => startProgress(label, total, quiet),
    heapLimitBytes: () => getHeapStatistics().heap_size_limit,
  };
}

/**
 * A system error (missing folder, full disk, permission) is the user's to fix and its message
 * says what and where; a stack trace would bury that. Anything else is a bug: keep the stack.
 * BROADSHEET_DEBUG=1 always shows the stack.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (process.env.BROADSHEET_DEBUG) return error.stack ?? error.message;
  if (code === 'ENOSPC' || code === 'SQLITE_FULL')
    return `the disk is full (${error.message}); nothing half-written was kept: free some space and run the command again`;
  if (typeof code === 'string' && code.startsWith('SQLITE_IOERR'))
    return `${error.message} (${code}): the disk that holds the state or cache file failed a write; check that it has free space and is healthy, then run the command again`;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return `the state file is busy: another broadsheet process is writing it (${error.message}); run again when it is done`;
  if (typeof code === 'string' && (/^E[A-Z]+$/.test(code) || code.startsWith('SQLITE_')))
    return error.message;
  return error.stack ?? error.message;
}

/**
 * Waits for Ctrl-C (SIGINT) or SIGTERM, then for `close`: how long-running commands (`serve`,
 * `build --watch`) end. Interrupting them is the normal way out, so the caller exits 0.
 */
export function untilInterrupted(close: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * A fresh context for the next build of a long-running command (the config file may be what
 * changed). A config that no longer validates is printed and returned as its diagnostics, so
 * the caller keeps its last good output.
 */
export function reloadContext(options: GlobalOptions): Context | { invalid: Diagnostic[] } {
  try {
    return createContext(options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    printDiagnostics(error.diagnostics);
    return { invalid: error.diagnostics };
  }
}
