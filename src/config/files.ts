import { resolve } from 'node:path';
import type { Diagnostic } from '../types.ts';
import type { Config } from './schema.ts';

// Where the config lives and how its paths resolve, apart from the schema: a replayed build
// (pipeline/replay.ts) finds its record from these alone, without loading zod (~0.2 s).

export const CONFIG_FILE = 'broadsheet.config.json';

/** `paths.cache` when the config names none (the schema's default too). */
export const DEFAULT_CACHE_PATH = '.broadsheet/cache.db';

export interface LoadedConfig {
  config: Config;
  /** The folder relative paths in the config are resolved against. */
  root: string;
  /** The file read, or null when running on embedded defaults. */
  file: string | null;
}

export class ConfigError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
  }
}

/** Resolves a configured path (relative to the config file's folder). */
export function resolvePath(loaded: Pick<LoadedConfig, 'root'>, path: string): string {
  return resolve(loaded.root, path);
}
