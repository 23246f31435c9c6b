#!/usr/bin/env node
// The `broadsheet` command. The source is TypeScript, run through tsx, so a checkout works with no
// build step. `npm install` also compiles it to dist/ (`npm run build`, the `prepare` script),
// which starts in a third of the time. dist/ runs only while it is current: its stamp is written
// before the compiler starts, and any file or folder under src/ changed since then (an edit, a
// new or deleted file) means src/ runs instead, so an edit always runs as it is.
import { distIsCurrent } from './dist-current.js';

let main;
if (distIsCurrent()) {
  ({ main } = await import(new URL('../../dist/cli/main.js', import.meta.url).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./main.ts'));
}
process.exitCode = await main(process.argv);
