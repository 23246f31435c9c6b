import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import type { Diagnostic } from '../types.ts';
import { type Config, configSchema, defaultConfig } from './schema.ts';

export const CONFIG_FILE = 'broadsheet.config.json';

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

/**
 * Reads and validates the config file. A missing file means embedded defaults (so `npm start`
 * works on a fresh checkout); an unreadable or invalid one is an error naming each bad key.
 */
export function loadConfig(file: string | null, cwd = process.cwd()): LoadedConfig {
  const path = resolve(cwd, file ?? CONFIG_FILE);
  if (!existsSync(path)) {
    if (file) throw new ConfigError([configDiagnostic(path, `config file not found: ${path}`)]);
    return { config: defaultConfig(), root: cwd, file: null };
  }
  const text = readFileSync(path, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([configDiagnostic(path, `not valid JSON: ${(error as Error).message}`)]);
  }
  return { config: parseConfig(raw, path), root: dirname(path), file: path };
}

/** Validates an already-parsed config value; errors name the key, the value and what was expected. */
export function parseConfig(raw: unknown, file = CONFIG_FILE): Config {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => configDiagnostic(file, describeIssue(issue, raw))));
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const key = issue.path.length ? issue.path.join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? ` in "${key}"` : '';
    return `unknown key${issue.keys.length > 1 ? 's' : ''}${where}: ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  const value = valueAt(raw, issue.path);
  const shown = value === undefined ? 'nothing' : JSON.stringify(value);
  return `"${key}": got ${shown}; ${issue.message}`;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let at: unknown = raw;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function configDiagnostic(file: string, message: string): Diagnostic {
  return { severity: 'error', code: 'config/invalid', file, message };
}

/** Resolves a configured path (relative to the config file's folder). */
export function resolvePath(loaded: LoadedConfig, path: string): string {
  return resolve(loaded.root, path);
}
