#!/usr/bin/env node
// The `broadsheet` command. The source is TypeScript run through tsx, so a checkout works
// straight after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
