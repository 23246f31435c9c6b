#!/usr/bin/env node
// The `broadsheet` command. The source is TypeScript, run through tsx, so a checkout works with no
// build step. `npm install` also compiles it to dist/ (`npm run build`, the `prepare` script),
// which starts in a third of the time. dist/ runs only while it is current: its stamp is written
// before the compiler starts, and any file or folder under src/ changed since then (an edit, a
// new or deleted file) means src/ runs instead, so an edit always runs as it is.
// Installed from the packed tarball (`npm pack`, then `npm install -g`), there is no source
// beside this file and no tsx (a devDependency): dist/ is all there is, and it runs.
// `send` runs in a worker thread on this same file, with a larger young generation (send-thread.js).
import { existsSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { distIsCurrent } from './dist-current.js';
import { adoptParentTerminal, isSendCommand, runInSendThread } from './send-thread.js';

const DIST_MAIN = new URL('../../dist/cli/main.js', import.meta.url);

async function loadMain() {
  const installed = !existsSync(new URL('./main.ts', import.meta.url));
  if (installed || distIsCurrent()) return (await import(DIST_MAIN.href)).main;
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
  return (await import('./main.ts')).main;
}

if (isMainThread && isSendCommand(process.argv.slice(2))) {
  process.exitCode = await runInSendThread(new URL(import.meta.url), process.argv.slice(2));
} else {
  adoptParentTerminal();
  const main = await loadMain();
  process.exitCode = await main(process.argv);
}
