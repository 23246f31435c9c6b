import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DateTime } from 'luxon';
// Modules, not the folders' index files: an index loads its whole folder (zod, SQLite, the
// renderers), ~0.4 s of a replay that otherwise takes ~0.3 s.
import { readEnv } from '../config/env.ts';
import { CONFIG_FILE, DEFAULT_CACHE_PATH, type LoadedConfig, resolvePath } from '../config/files.ts';
import { acquireLock, lockFileBeside } from '../state/lock.ts';
import type { BuildReport } from './run.ts';
import {
  type BuildInputs,
  readRecord,
  recordPathBeside,
  replayable,
  type SnapshotHost,
} from './unchanged.ts';

/** What `broadsheet build` was asked, as the command line and environment give it. */
export interface ReplayRequest {
  /** `--config`, or null for `broadsheet.config.json` in `cwd`. */
  configFile: string | null;
  cwd: string;
  env: NodeJS.ProcessEnv;
  options: BuildInputs;
}

/** A replayed build: what it logged (merges), then its report, as the recorded build gave them. */
export interface Replayed {
  logged: string[];
  report: BuildReport;
}

/**
 * A no-change `broadsheet build` in a new process, answered before the pipeline is loaded: the
 * record of the last build that changed nothing (unchanged.ts) is found from the config file's
 * location, and replayed when the snapshot of the inputs, state and out/ equals it. The config
 * is not validated again: the build that made the record did that, and the config file's
 * stamp is in the snapshot. Null means "run the build": no record, anything changed, the build
 * lock held, state on PostgreSQL, or a config or environment the full path must report on.
 */
export function replayUnchangedBuild(request: ReplayRequest): Replayed | null {
  const started = performance.now();
  const located = locateRecord(request);
  if (!located) return null;
  const record = readRecord<BuildReport>(located.recordPath);
  if (!record || !sameConfigFile(record.loaded, located)) return null;
  let now: DateTime;
  try {
    const env = readEnv(request.env, (path) => readFileSync(path, 'utf8'));
    // A build on shared state depends on what other machines recorded: never replayed.
    if (env.databaseUrl) return null;
    // In UTC with the locale given: the snapshot needs the instant only (timeKey sets the site's
    // zone when a daily or weekly window needs it), and luxon's default locale asks ICU (~20 ms).
    const millis = env.sourceDateEpoch === null ? Date.now() : env.sourceDateEpoch * 1000;
    now = DateTime.fromMillis(millis, {
      zone: 'utc',
      locale: 'en-US',
      numberingSystem: 'latn',
      outputCalendar: 'gregory',
    });
  } catch {
    return null;
  }
  const { loaded } = record;
  const host: SnapshotHost = {
    loaded,
    now,
    path: (configured) => resolvePath(loaded, configured),
    lockPath: (what) => lockFileBeside(resolvePath(loaded, loaded.config.paths.state), what),
  };
  let lock: ReturnType<typeof acquireLock>;
  try {
    lock = acquireLock(host.lockPath('build'), 'build');
  } catch {
    return null; // Another build is running: the full path says so, as it always has.
  }
  try {
    const same = replayable(host, request.options, record);
    if (!same) return null;
    const total = Math.round(performance.now() - started) / 1000;
    return {
      logged: same.logged,
      report: { ...same.report, replayed: true, seconds: { ...same.report.seconds, total } },
    };
  } finally {
    lock.release();
  }
}

interface LocatedRecord {
  configFile: string | null;
  root: string;
  recordPath: string;
}

/**
 * Where the config file is and where it keeps the parse cache, read as plain JSON: loadConfig
 * finds the file the same way. Anything unusual (unreadable, not JSON) is left to it.
 */
function locateRecord({ configFile, cwd }: ReplayRequest): LocatedRecord | null {
  const path = resolve(cwd, configFile ?? CONFIG_FILE);
  if (!existsSync(path)) {
    if (configFile) return null;
    return { configFile: null, root: cwd, recordPath: recordPathBeside(resolve(cwd, DEFAULT_CACHE_PATH)) };
  }
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as { paths?: { cache?: unknown } } | null;
    const cache = raw?.paths?.cache;
    const root = dirname(path);
    return {
      configFile: path,
      root,
      recordPath: recordPathBeside(resolve(root, typeof cache === 'string' ? cache : DEFAULT_CACHE_PATH)),
    };
  } catch {
    return null;
  }
}

/** The record was made from this very config file (or from the defaults, in this folder). */
function sameConfigFile(loaded: LoadedConfig, located: LocatedRecord): boolean {
  return (
    loaded.file === located.configFile &&
    loaded.root === located.root &&
    recordPathBeside(resolvePath(loaded, loaded.config.paths.cache)) === located.recordPath
  );
}
