import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { DiagnosticCode } from '../diagnostic-codes.ts';
import { type Diagnostic, SUBSCRIBER_STATUSES, type Subscriber, type SubscriberStatus } from '../types.ts';
import { type CsvRecord, csvRecordReader, readCsvRows } from './csv-rows.ts';

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
/** RFC 5321 (4.5.3.1) and RFC 1035: a mail server refuses longer ones at RCPT TO, on every send. */
const MAX_LOCAL_PART = 64;
const MAX_ADDRESS = 254;
const MAX_LABEL = 63;

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
  const tooLong = overLimit(trimmed, at);
  if (tooLong)
    return { error: `not a valid email address: "${trimmed}" (over ${tooLong}, which mail servers refuse)` };
  return { email: `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}` };
}

/** Which length limit `address` (its @ at `at`) is over, or null. */
function overLimit(address: string, at: number): string | null {
  if (at > MAX_LOCAL_PART) return `${MAX_LOCAL_PART} characters before the @`;
  if (address.length > MAX_ADDRESS) return `${MAX_ADDRESS} characters`;
  const labels = address.slice(at + 1).split('.');
  if (labels.some((label) => label.length > MAX_LABEL))
    return `${MAX_LABEL} characters in a part of the domain`;
  return null;
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
  const reader = subscriberCsvReader(file, knownTopics);
  const rows: SubscriberRow[] = [];
  const diagnostics: Diagnostic[] = [];
  const take = (read: SubscriberCsvRead) => {
    rows.push(...read.rows);
    diagnostics.push(...read.diagnostics);
  };
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    take(reader.push(line, i + 1));
  });
  take(reader.end());
  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { rows, diagnostics };
}

export interface SubscriberCsvRead {
  rows: SubscriberRow[];
  diagnostics: Diagnostic[];
}

/**
 * `parseSubscribersCsv` one line at a time, for an import that streams its file: `push` returns
 * what a line completes (rows and diagnostics in line order), `end` the rest. It remembers the
 * addresses seen, to report duplicates, until `forgetSeen` (a streamed import forgets after each
 * batch and asks the store about the earlier ones, so memory stays flat).
 */
export function subscriberCsvReader(
  file: string,
  knownTopics: string[],
): {
  push(line: string, lineNumber: number): SubscriberCsvRead;
  end(): SubscriberCsvRead;
  forgetSeen(): void;
} {
  let columns: { email: number; name: number; topics: number; status: number } | 'refused' | null = null;
  let records: ReturnType<typeof csvRecordReader> | null = null;
  let seen = new Map<string, number>();
  const cell = (cells: string[], at: number) => (at >= 0 ? unneutralizeCell(cells[at] ?? '') : '');

  const readHeader = (line: string, lineNumber: number, out: SubscriberCsvRead): void => {
    const problem = (message: string, code: DiagnosticCode) =>
      out.diagnostics.push({ severity: 'error', code, message, file, line: lineNumber });
    const headerRead = readCsvRows(line, () => false);
    const header = headerRead.rows[0];
    columns = 'refused';
    if (!header) {
      problem(`unreadable CSV header: ${headerRead.errors[0]?.message ?? 'no cells'}`, 'subscribers/csv');
      return;
    }
    const names = header.cells.map((c) => c.trim().toLowerCase());
    if (!names.includes('email')) {
      problem(
        'the first row must be a header naming an "email" column (and optionally "name", "topics", "status")',
        'subscribers/header',
      );
      return;
    }
    const found = {
      email: names.indexOf('email'),
      name: names.indexOf('name'),
      topics: names.indexOf('topics'),
      status: names.indexOf('status'),
    };
    columns = found;
    // A line that is a subscriber row of its own never becomes the tail of a broken quoted cell.
    records = csvRecordReader((cells) => !('error' in normalizeEmail(cell(cells, found.email))));
  };

  const readRecords = (read: CsvRecord[], out: SubscriberCsvRead): void => {
    if (typeof columns !== 'object' || columns === null) return;
    const at = columns;
    const problem = (
      line: number,
      message: string,
      code: DiagnosticCode,
      severity: Diagnostic['severity'] = 'error',
    ) => out.diagnostics.push({ severity, code, message, file, line });
    for (const record of read) {
      if ('message' in record) {
        problem(record.line, `unreadable CSV row: ${record.message}`, 'subscribers/csv');
        continue;
      }
      const { cells, line } = record;
      if (cells.every((c) => c.trim() === '')) continue;
      const email = normalizeEmail(cell(cells, at.email));
      if ('error' in email) {
        problem(line, email.error, 'subscribers/invalid-email');
        continue;
      }
      const topics = parseTopics(cell(cells, at.topics), knownTopics);
      if ('error' in topics) {
        problem(line, topics.error, 'subscribers/unknown-topic');
        continue;
      }
      const status = parseStatus(cell(cells, at.status));
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
      const name = cleanSubscriberName(cell(cells, at.name));
      out.rows.push({
        line,
        email: email.email,
        name: name || null,
        topics: topics.topics,
        status: status.status,
      });
    }
  };

  return {
    push(raw, lineNumber) {
      const out: SubscriberCsvRead = { rows: [], diagnostics: [] };
      const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (columns === null) {
        if (line.trim() !== '') readHeader(line, lineNumber, out);
      } else if (records) readRecords(records.push(line, lineNumber), out);
      return out;
    },
    end() {
      const out: SubscriberCsvRead = { rows: [], diagnostics: [] };
      if (columns === null)
        out.diagnostics.push({
          severity: 'error',
          code: 'subscribers/header',
          message: 'the file is empty: the first row must be a header naming an "email" column',
          file,
          line: 1,
        });
      else if (records) readRecords(records.end(), out);
      return out;
    },
    forgetSeen() {
      seen = new Map();
    },
  };
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
export function subscribersToCsv(subscribers: Subscriber[], options: { header?: boolean } = {}): string {
  return stringify(
    subscribers.map((s) =>
      [s.email, s.name ?? '', s.topics.join(';'), s.status, s.createdAt, String(s.bounceCount)].map(
        neutralizeCell,
      ),
    ),
    {
      header: options.header ?? true,
      columns: ['email', 'name', 'topics', 'status', 'created_at', 'bounce_count'],
      record_delimiter: 'unix',
    },
  );
}
