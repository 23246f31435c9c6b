#!/usr/bin/env node
// The `broadsheet` command. The source is TypeScript, run through tsx, so a checkout works with no
// build step. `npm install` also compiles it to dist/ (`npm run build`, the `prepare` script),
// which starts in a third of the time. dist/ runs only while it is current: its stamp is written
// before the compiler starts, and any file or folder under src/ changed since then (an edit, a
// new or deleted file) means src/ runs instead, so an edit always runs as it is.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/** True when dist/ was built from src/ as it is now. Costs ~1 ms (one stat per source file). */
function distIsCurrent() {
  let stamp;
  try {
    stamp = statSync(join(DIST, '.stamp')).mtimeMs;
  } catch {
    return false;
  }
  const changed = (path) => {
    const mtime = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
    return mtime === undefined || mtime >= stamp;
  };
  if (changed(SRC)) return false;
  for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    if (changed(join(entry.parentPath, entry.name))) return false;
  }
  return true;
}

let main;
if (distIsCurrent()) {
  ({ main } = await import(new URL('../../dist/cli/main.js', import.meta.url).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./main.ts'));
}
process.exitCode = await main(process.argv);
