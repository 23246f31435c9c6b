import type { Diagnostic } from '../types.ts';

/** Documented exit codes (docs/cli.md, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  /** The input needs the user's attention: parse errors, bad rows, failed deliveries. */
  inputErrors: 1,
  /** Bad usage or configuration: nothing was done. */
  usage: 2,
  /** Something outside the input failed (SMTP unreachable, disk full). */
  failure: 3,
} as const;

/**
 * `--quiet` means "nothing but errors" for every command, including the ones that print
 * diagnostics without a context at hand: createContext (or a replayed build) sets it once per
 * process (one command per process), so every printDiagnostics call obeys it.
 */
let quietProcess = false;

/** Sets `--quiet` for the process (see quietProcess). */
export function setQuietProcess(quiet: boolean): void {
  quietProcess = quiet;
}

/** `file:line: severity: message`, the shape editors and CI logs link from. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}: ` : '';
  return `${where}${d.severity}: ${d.message} [${d.code}]`;
}

/** Prints diagnostics to stderr; with `--quiet` only errors (warnings and notes are dropped). */
export function printDiagnostics(diagnostics: Diagnostic[], quiet = quietProcess): void {
  for (const d of diagnostics) {
    if (quiet && d.severity !== 'error') continue;
    process.stderr.write(`${formatDiagnostic(d)}\n`);
  }
}

/** Data output (`--json`): one JSON document on stdout, so `| jq` works; messages stay on stderr. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
