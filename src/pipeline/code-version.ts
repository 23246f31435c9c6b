import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// src/, also when this runs compiled from dist/cli/ (same depth): the hash is of the sources.
const SOURCE_ROOT = fileURLToPath(new URL('../../src/', import.meta.url));
// Installed from the packed tarball there are no sources (only src/cli/bin.js): the compiled
// code under dist/ is what renders, so it is what the hash covers.
const COMPILED_ROOT = fileURLToPath(new URL('../../dist/', import.meta.url));
const LOCKFILE = fileURLToPath(new URL('../../package-lock.json', import.meta.url));

let cached: string | undefined;

/**
 * A hash of the code that renders: every source file under src/ and the lockfile (the exact
 * versions of `feed`, `luxon`, `marked`). It is part of every render key, so after an upgrade
 * or an edit to a renderer no output keeps the bytes the old code made. Reading ~100 small
 * files costs a few milliseconds, once per process.
 */
export function codeVersion(): string {
  if (cached !== undefined) return cached;
  const hash = createHash('sha1');
  let root = SOURCE_ROOT;
  let files = codeFiles(root, '.ts');
  if (files.length === 0) {
    root = COMPILED_ROOT;
    files = codeFiles(root, '.js');
  }
  for (const file of files) hash.update(`${file}\n`).update(readFileSync(join(root, file)));
  try {
    hash.update(readFileSync(LOCKFILE));
  } catch {
    // Installed without a lockfile (as a dependency): the sources alone.
  }
  cached = hash.digest('base64url');
  return cached;
}

function codeFiles(root: string, extension: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension))
    .map((file) => file.split('\\').join('/'))
    .sort();
}
