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
  const where = d.file ? `${printable(d.file, false)}${d.line ? `:${d.line}` : ''}: ` : '';
  return `${where}${d.severity}: ${printable(d.message)} [${d.code}]`;
}

/** Control characters (C0 but the newline, DEL, C1) and bidirectional controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNPRINTABLE_OR_NEWLINE = new RegExp(`${UNPRINTABLE.source}|\n`, 'g');

/**
 * `text` as the terminal (or CI log) should show it. A file's name comes from whoever wrote the
 * articles folder: with a newline it would forge a second diagnostic line, with an escape
 * sequence recolour or clear the publisher's terminal, with a bidi override show a path reversed.
 * Titles are cleaned at ingest; names and system messages quoting them are not. Each such
 * character is written as an escape (`\x1b`, `\u202e`; a newline too, as `\n`, unless `newlines`).
 */
export function printable(text: string, newlines = true): string {
  return text.replace(newlines ? UNPRINTABLE : UNPRINTABLE_OR_NEWLINE, escapeChar);
}

function escapeChar(char: string): string {
  if (char === '\n') return '\\n';
  if (char === '\t') return '\\t';
  if (char === '\r') return '\\r';
  const code = char.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
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
