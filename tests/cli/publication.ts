import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tempDir } from '../helpers/temp.ts';

const BIN = resolve(import.meta.dirname, '../../src/cli/bin.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI in `cwd` at a fixed "now". Asynchronous, so an SMTP server in the test's
 * own process can answer while it runs; no SMTP_URL or secret leaks in from the environment.
 */
export function broadsheet(
  args: string[],
  cwd: string,
  epoch: number | null,
  env: Record<string, string> = {},
): Promise<CliResult> {
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    SMTP_URL: '',
    BROADSHEET_UNSUBSCRIBE_SECRET: '',
    ...env,
  };
  // null: the machine's own clock, as a publisher runs it.
  if (epoch === null) delete fullEnv.SOURCE_DATE_EPOCH;
  else fullEnv.SOURCE_DATE_EPOCH = String(epoch);
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: fullEnv, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ status: code, stdout, stderr });
      },
    );
  });
}

export function epochOf(iso: string): number {
  return Date.parse(iso) / 1000;
}

/** A fresh `init` publication in a temporary folder, made at `epoch` (null: now). */
export async function initPublication(
  epoch: number | null,
  title = 'The Harbor City Ledger',
): Promise<string> {
  const dir = join(tempDir('bs-publication-'), 'ledger');
  const init = await broadsheet(['init', dir, '--title', title, '-q'], tmpdir(), epoch);
  if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
  return dir;
}

/** Rewrites one file of the publication in place. */
export function editFile(dir: string, path: string, edit: (text: string) => string): void {
  const file = join(dir, path);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}
