import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { DiagnosticCode } from '../diagnostic-codes.ts';
import { type Diagnostic, SUBSCRIBER_STATUSES, type Subscriber, type SubscriberStatus } from '../types.ts';
import { readCsvRows } from './csv-rows.ts';

export interface SubscriberRow {
  /** 1-based line in the CSV file, for messages. */
  line: number;
  email: string;
  name: string | null;
  topics: string[];
  /** What the file says (an export's `status` column); empty or missing means active. */
  status: SubscriberStatus;
}

const emailSchema = z.email();

/**
 * Checks an address the way we can without sending mail: RFC-shaped (zod's pragmatic pattern,
 * which refuses what real providers refuse: spaces, missing TLD, quoted local parts).
 * Returns the normalized address (trimmed, domain lowercased) or a reason.
 */
export function normalizeEmail(input: string): { email: string } | { error: string } {
  const trimmed = input.trim();
  if (trimmed === '') return { error: 'empty email address' };
  if (!emailSchema.safeParse(trimmed).success) return { error: `not a valid email address: "${trimmed}"` };
  const at = trimmed.lastIndexOf('@');
  return { email: `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}` };
}

/** "transit;climate" (or commas) → ["transit", "climate"], each checked against the configured topics. */
export function parseTopics(input: string, known: string[]): { topics: string[] } | { error: string } {
  const topics = [
    ...new Set(
      input
        .split(/[;,]/)
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  const unknown = topics.filter((t) => !known.includes(t));
  if (unknown.length > 0)
    return {
      error: `unknown topic${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `"${t}"`).join(', ')} (known: ${known.join(', ') || 'none configured'})`,
    };
  return { topics };
}

/**
 * Reads a subscriber CSV with a header row naming `email` and optionally `name`, `topics` and
 * `status` (what `export` writes). Every bad row becomes one diagnostic at its own line, and the
 * other rows still come through: one typo must not stop a 10,000-row import. Duplicates within
 * the file are reported and only the first is kept.
 */
export function parseSubscribersCsv(
  text: string,
  file: string,
  knownTopics: string[],
): { rows: SubscriberRow[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const problem = (
    line: number,
    message: string,
    code: DiagnosticCode,
    severity: Diagnostic['severity'] = 'error',
  ) => diagnostics.push({ severity, code, message, file, line });
  const headerRead = readCsvRows(firstRecordText(text), () => false);
  const header = headerRead.rows[0];
  if (!header) {
    const bad = headerRead.errors[0];
    if (bad) problem(bad.line, `unreadable CSV header: ${bad.message}`, 'subscribers/csv');
    else
      problem(
        1,
        'the file is empty: the first row must be a header naming an "email" column',
        'subscribers/header',
      );
    return { rows: [], diagnostics };
  }
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  const emailAt = columns.indexOf('email');
  if (emailAt < 0) {
    problem(
      header.line,
      'the first row must be a header naming an "email" column (and optionally "name", "topics", "status")',
      'subscribers/header',
    );
    return { rows: [], diagnostics };
  }
  const nameAt = columns.indexOf('name');
  const topicsAt = columns.indexOf('topics');
  const statusAt = columns.indexOf('status');
  const cell = (cells: string[], at: number) => (at >= 0 ? unneutralizeCell(cells[at] ?? '') : '');
  // A line that is a subscriber row of its own never becomes the tail of a broken quoted cell.
  const isRow = (cells: string[]) => !('error' in normalizeEmail(cell(cells, emailAt)));
  const { rows: records, errors } = readCsvRows(text, isRow);
  for (const error of errors)
    if (error.line !== header.line)
      problem(error.line, `unreadable CSV row: ${error.message}`, 'subscribers/csv');
  const seen = new Map<string, number>();
  const rows: SubscriberRow[] = [];
  for (const { cells, line } of records) {
    if (line <= header.line) continue;
    if (cells.every((c) => c.trim() === '')) continue;
    const email = normalizeEmail(cell(cells, emailAt));
    if ('error' in email) {
      problem(line, email.error, 'subscribers/invalid-email');
      continue;
    }
    const topics = parseTopics(cell(cells, topicsAt), knownTopics);
    if ('error' in topics) {
      problem(line, topics.error, 'subscribers/unknown-topic');
      continue;
    }
    const status = parseStatus(cell(cells, statusAt));
    if ('error' in status) {
      problem(line, status.error, 'subscribers/invalid-status');
      continue;
    }
    const key = email.email.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problem(
        line,
        `duplicate of line ${first} (${email.email}); kept the first`,
        'subscribers/duplicate',
        'warning',
      );
      continue;
    }
    seen.set(key, line);
    const name = cleanSubscriberName(cell(cells, nameAt));
    rows.push({ line, email: email.email, name: name || null, topics: topics.topics, status: status.status });
  }
  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { rows, diagnostics };
}

/** The text up to and including the first non-blank line (the header is one line). */
function firstRecordText(text: string): string {
  const match = /^(?:[ \t]*(?:\r\n|\r|\n))*[^\r\n]*/.exec(text.replace(/^\uFEFF/, ''));
  return match?.[0] ?? '';
}

const STATUSES: readonly SubscriberStatus[] = SUBSCRIBER_STATUSES;

/** An empty status (a hand-made list) means active; anything else must be one of ours. */
function parseStatus(input: string): { status: SubscriberStatus } | { error: string } {
  const status = input.trim().toLowerCase();
  if (status === '') return { status: 'active' };
  if ((STATUSES as readonly string[]).includes(status)) return { status: status as SubscriberStatus };
  return { error: `unknown status "${input.trim()}" (one of ${STATUSES.join(', ')})` };
}

/**
 * Terminal escape sequences (CSI/OSC) as a whole, then C0/C1 controls and the bidi controls
 * that can reorder what a terminal or mail client shows. A name is one line of plain text: it
 * goes into a To: header and into the tab-separated `subscribers list`.
 */
// Built from strings: the lint rule against control characters in regex literals is right
// everywhere but here, where matching them is the point.
const ESCAPE_SEQUENCE = new RegExp(
  [
    '\\u001B\\[[0-?]*[ -/]*[@-~]', // CSI: colours, cursor moves, clearing the screen
    '\\u001B\\][^\\u0007\\u001B]*(?:\\u0007|\\u001B\\\\)?', // OSC: window titles, hyperlinks
    '\\u009B[0-?]*[ -/]*[@-~]', // the one-byte C1 CSI
  ].join('|'),
  'g',
);
const CONTROL = new RegExp(
  ['[', '\\u0000-\\u001F\\u007F-\\u009F', '\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069', ']'].join(
    '',
  ),
  'g',
);

/** A subscriber's display name made safe to print and to put in a header; '' when nothing is left. */
export function cleanSubscriberName(input: string): string {
  return input
    .replace(ESCAPE_SEQUENCE, '')
    .replace(/[\t\n\r\v\f]/g, ' ')
    .replace(CONTROL, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before one) as a formula:
 * `=cmd|' /C calc'!A0`. OWASP's advice: prefix such a cell with a single quote, which a
 * spreadsheet shows as text. Import takes the quote off again, so the list round-trips.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function unneutralizeCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** The list as CSV, in the same columns `import` reads (plus dates), so it round-trips. */
export function subscribersToCsv(subscribers: Subscriber[]): string {
  return stringify(
    subscribers.map((s) =>
      [s.email, s.name ?? '', s.topics.join(';'), s.status, s.createdAt, String(s.bounceCount)].map(
        neutralizeCell,
      ),
    ),
    {
      header: true,
      columns: ['email', 'name', 'topics', 'status', 'created_at', 'bounce_count'],
      record_delimiter: 'unix',
    },
  );
}
