// Whether dist/ (the compiled command, `npm run build`) was built from src/ as it is now: bin.js
// runs dist/ only then, and the bench says which one its CLI timings ran.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/** True when dist/ was built from src/ as it is now. Costs ~1 ms (one stat per source file). */
export function distIsCurrent() {
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
