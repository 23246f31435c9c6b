import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IngestOptions, type IngestResult, parseSourceFile } from '../../src/ingest/index.ts';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

export const OPTIONS: IngestOptions = { maxFileBytes: 1024 * 1024, timeZone: 'America/New_York' };

/** Parses a fixture the way the build does, naming it `fixtures/<name>` in diagnostics. */
export function parseFixture(name: string, options: Partial<IngestOptions> = {}): IngestResult {
  return parseSourceFile(
    { path: `fixtures/${name}`, bytes: readFileSync(join(FIXTURES, name)) },
    { ...OPTIONS, ...options },
  );
}

export function parseText(
  text: string,
  path = 'inline.txt',
  options: Partial<IngestOptions> = {},
): IngestResult {
  return parseSourceFile({ path, bytes: new TextEncoder().encode(text) }, { ...OPTIONS, ...options });
}

export function codes(result: IngestResult): string[] {
  return result.diagnostics.map((d) => `${d.severity}:${d.code}`);
}
