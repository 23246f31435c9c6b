import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { Diagnostic, Subscriber } from '../types.ts';

export interface SubscriberRow {
  /** 1-based line in the CSV file, for messages. */
  line: number;
  email: string;
  name: string | null;
  topics: string[];
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
 * Reads a subscriber CSV with a header row naming `email` and optionally `name` and `topics`.
 * Every bad row becomes a diagnostic with its line, and the other rows still come through:
 * one typo must not stop a 10,000-row import. Duplicates within the file are reported and
 * only the first is kept.
 */
export function parseSubscribersCsv(
  text: string,
  file: string,
  knownTopics: string[],
): { rows: SubscriberRow[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const problem = (line: number, message: string, code: string, severity: Diagnostic['severity'] = 'error') =>
    diagnostics.push({ severity, code: `subscribers/${code}`, message, file, line });
  let lastLine = 0;
  const records = parse(text, {
    bom: true,
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record, context) => {
      lastLine = context.lines;
      return record;
    },
    on_skip: (error, raw) => {
      if (!error) return undefined;
      // A stray quote makes a "row" run over several lines: name them all, the fix is in the first.
      // (Counted from the last good row: csv-parse counts CRLF inside quotes as two lines.)
      const start = lastLine + 1;
      const end = start + ((raw ?? '').trimEnd().match(/\r\n|\r|\n/g)?.length ?? 0);
      const where = end > start ? ` (lines ${start}-${end}; an unclosed quote joins lines)` : '';
      problem(start, `unreadable CSV row${where}: ${error.message.replace(/ at line \d+/, '')}`, 'csv');
      lastLine = end;
      return undefined;
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [header, ...body] = records;
  if (!header) {
    // Unreadable rows are reported already; otherwise there was nothing at all (a failed export).
    if (diagnostics.length === 0)
      problem(1, 'the file is empty: the first row must be a header naming an "email" column', 'header');
    return { rows: [], diagnostics };
  }
  const columns = header.record.map((c) => c.trim().toLowerCase());
  const emailAt = columns.indexOf('email');
  if (emailAt < 0) {
    problem(
      header.info.lines,
      'the first row must be a header naming an "email" column (and optionally "name", "topics")',
      'header',
    );
    return { rows: [], diagnostics };
  }
  const nameAt = columns.indexOf('name');
  const topicsAt = columns.indexOf('topics');
  const seen = new Map<string, number>();
  const rows: SubscriberRow[] = [];
  for (const { record, info } of body) {
    const line = info.lines;
    if (record.every((cell) => cell.trim() === '')) continue;
    const email = normalizeEmail(record[emailAt] ?? '');
    if ('error' in email) {
      problem(line, email.error, 'invalid-email');
      continue;
    }
    const topics = parseTopics(topicsAt >= 0 ? (record[topicsAt] ?? '') : '', knownTopics);
    if ('error' in topics) {
      problem(line, topics.error, 'unknown-topic');
      continue;
    }
    const key = email.email.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problem(line, `duplicate of line ${first} (${email.email}); kept the first`, 'duplicate', 'warning');
      continue;
    }
    seen.set(key, line);
    // A quoted cell may span lines: a name goes into a To: header and a one-line listing.
    const name = nameAt >= 0 ? (record[nameAt] ?? '').replace(/\s+/g, ' ').trim() : '';
    rows.push({ line, email: email.email, name: name || null, topics: topics.topics });
  }
  return { rows, diagnostics };
}

/** The list as CSV, in the same columns `import` reads (plus status and dates), so it round-trips. */
export function subscribersToCsv(subscribers: Subscriber[]): string {
  return stringify(
    subscribers.map((s) => [s.email, s.name ?? '', s.topics.join(';'), s.status, s.createdAt, s.bounceCount]),
    {
      header: true,
      columns: ['email', 'name', 'topics', 'status', 'created_at', 'bounce_count'],
      record_delimiter: 'unix',
    },
  );
}
