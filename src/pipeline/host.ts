import type { DateTime } from 'luxon';
import type { LoadedConfig } from '../config/index.ts';
import type { StateDb } from '../state/index.ts';
import type { Diagnostic } from '../types.ts';

/** A bar for long work (reading thousands of files); silent where no one watches. */
export interface Progress {
  tick(n?: number): void;
  stop(): void;
}

/**
 * The impure edge a pipeline run is given: the configuration, the clock, the state and cache
 * files, and where messages go. The CLI's `Context` is one; a test makes one over a temp folder.
 * The pipeline reads the article files and writes out/ itself (the paths come from here).
 */
export interface PipelineHost {
  loaded: LoadedConfig;
  /** The build's "now": first-seen dates, edition windows, dates printed in outputs. */
  now: DateTime;
  /** A configured path resolved against the config file's folder. */
  path(configured: string): string;
  openState(): StateDb;
  /** The disposable parse cache (`paths.cache`), apart from the state. */
  openCache(): StateDb;
  /** A line for the user (merges as they are found); the CLI's `--quiet` drops them. */
  log(message: string): void;
  /**
   * Diagnostics as soon as they are known, before the build goes on. `urgent` ones are shown even
   * with `--quiet` (the heap warning: the crash that may follow explains nothing by itself).
   */
  report(diagnostics: Diagnostic[], urgent?: boolean): void;
  /** The lock file that keeps two builds (or two sends) of one publication apart. */
  lockPath(what: 'build' | 'send'): string;
  progress(label: string, total: number): Progress;
  /** V8's heap limit in bytes: a large archive is warned about before it runs out. */
  heapLimitBytes(): number;
  /**
   * Called once the build's state is final and before out/ is published: a build whose state
   * lives elsewhere (PostgreSQL) writes it back here, so a published page never carries an id
   * the state does not hold. A throw stops the build with out/ as it was.
   */
  beforePublish?(): Promise<void>;
}
