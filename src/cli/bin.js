#!/usr/bin/env node
// The `broadsheet` command. The source is TypeScript, run through tsx, so a checkout works with no
// build step. `npm install` also compiles it to dist/ (`npm run build`, the `prepare` script),
// which starts in a third of the time. dist/ runs only while it is current: its stamp is written
// before the compiler starts, and any file or folder under src/ changed since then (an edit, a
// new or deleted file) means src/ runs instead, so an edit always runs as it is.
// Installed from the packed tarball (`npm pack`, then `npm install -g`), there is no source
// beside this file and no tsx (a devDependency): dist/ is all there is, and it runs.
import { existsSync } from 'node:fs';
import { distIsCurrent } from './dist-current.js';

const DIST_MAIN = new URL('../../dist/cli/main.js', import.meta.url);
const installed = !existsSync(new URL('./main.ts', import.meta.url));

let main;
if (installed || distIsCurrent()) {
  ({ main } = await import(DIST_MAIN.href));
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(
      'broadsheet: dist/ is missing or older than src/, and tsx (a devDependency) is not installed:\n' +
        'run `npm install` (installs tsx) or `npm run build` (compiles src/ to dist/).\n',
    );
    process.exit(1);
  }
  register();
  ({ main } = await import('./main.ts'));
}
process.exitCode = await main(process.argv);
