import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { z } from 'zod';
import type { Diagnostic } from '../types.ts';
import { CONFIG_FILE, ConfigError, type LoadedConfig } from './files.ts';
import { jsonKeyLines, lineOf } from './json-lines.ts';
import { configJsonSchema } from './json-schema.ts';
import { type Config, configSchema, defaultConfig } from './schema.ts';

// The lean part (no zod), re-exported: most callers know only this module.
export { CONFIG_FILE, ConfigError, type LoadedConfig, resolvePath } from './files.ts';

/**
 * Reads and validates the config file. A missing file means embedded defaults (so `npm start`
 * works on a fresh checkout); an unreadable or invalid one is an error naming each bad key.
 */
export function loadConfig(file: string | null, cwd = process.cwd()): LoadedConfig {
  const path = resolve(cwd, file ?? CONFIG_FILE);
  // Diagnostics name the file as the user would type it, like every other diagnostic.
  const shown = relative(cwd, path).split(sep).join('/') || path;
  if (!existsSync(path)) {
    if (file) throw new ConfigError([configDiagnostic(shown, `config file not found: ${path}`)]);
    return { config: defaultConfig(), root: cwd, file: null };
  }
  const text = readFileSync(path, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([jsonSyntaxDiagnostic(shown, text, error as Error)]);
  }
  return { config: parseConfig(raw, shown, text), root: dirname(path), file: path };
}

/**
 * Validates an already-parsed config value; errors name the key, the value and what was expected,
 * and, given the file's text, the line the key is on.
 */
export function parseConfig(raw: unknown, file = CONFIG_FILE, text?: string): Config {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = text === undefined ? null : jsonKeyLines(text);
  const diagnostics: Diagnostic[] = result.error.issues.map((issue) => {
    // An unknown key is reported on its own line, not its object's.
    const at = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    const line = lines ? lineOf(lines, at) : undefined;
    return { ...configDiagnostic(file, describeIssue(issue, raw)), ...(line ? { line } : {}) };
  });
  // Top to bottom, the order a person fixes them in.
  throw new ConfigError(diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const key = issue.path.length ? formatKey(issue.path) : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? ` in "${key}"` : '';
    const known = knownKeys(issue.path);
    const named = issue.keys.map((k) => {
      const near = closest(k, known);
      return near ? `"${k}" (did you mean "${near}"?)` : `"${k}"`;
    });
    return `unknown key${issue.keys.length > 1 ? 's' : ''}${where}: ${named.join(', ')}; expected one of ${known.map((k) => `"${k}"`).join(', ')}`;
  }
  const value = valueAt(raw, issue.path);
  if (value === undefined) return `"${key}" is missing; ${expectation(issue)}`;
  return `"${key}": got ${JSON.stringify(value)}; ${expectation(issue)}`;
}

/** zod's messages lead with a generic label ("Invalid input: expected string, received number"); keep what was expected. */
function expectation(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `expected ${issue.expected}`;
  if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1)
    return 'expected a non-empty string';
  if (issue.code === 'invalid_value')
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message.replace(/^(Invalid input|Invalid option|Too big|Too small|Invalid string): /, '');
}

/** `feeds.topics[0].tags`: the way a person finds the spot in the file. */
function formatKey(path: PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
    .join('');
}

/** The keys the schema allows at `path`, read from the generated JSON Schema so they never drift. */
function knownKeys(path: PropertyKey[]): string[] {
  let node = configJsonSchema() as JsonSchemaNode;
  for (const part of path) {
    const next = typeof part === 'number' ? node.items : node.properties?.[String(part)];
    if (!next) return [];
    node = next;
  }
  return Object.keys(node.properties ?? {});
}

interface JsonSchemaNode {
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
}

/** The known key within two edits of a typo (case-insensitive), if any. */
function closest(typo: string, known: string[]): string | null {
  let best: { key: string; distance: number } | null = null;
  for (const key of known) {
    const distance = editDistance(typo.toLowerCase(), key.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { key, distance };
  }
  return best?.key ?? null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let at: unknown = raw;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/**
 * JSON.parse says "at position 210": a person needs the line and column (an editor jumps there),
 * so the diagnostic carries the line and the message names the column.
 */
function jsonSyntaxDiagnostic(file: string, text: string, error: Error): Diagnostic {
  const position = Number(/at position (\d+)/.exec(error.message)?.[1] ?? Number.NaN);
  const reason = error.message
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ at position \d+.*$/s, '');
  if (!Number.isFinite(position)) return configDiagnostic(file, `not valid JSON: ${error.message}`);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return { ...configDiagnostic(file, `not valid JSON at line ${line}, column ${column}: ${reason}`), line };
}

function configDiagnostic(file: string, message: string): Diagnostic {
  return { severity: 'error', code: 'config/invalid', file, message };
}
