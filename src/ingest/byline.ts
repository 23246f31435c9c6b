import type { DiagnosticCode } from '../diagnostic-codes.ts';
import type { Diagnostic } from '../types.ts';
import { parseDate } from './dates.ts';

export interface Byline {
  authors: string[];
  published: string | null;
  updated: string | null;
}

/**
 * Reads a byline such as `Jane Roe and Sam Poe| Updated Oct. 2, 2026 at 9:41 a.m. ET | Published
 * October 1, 2026`. The first `|`-separated part is the authors unless it is itself a date part;
 * `Published` with nothing after it is a byline without a date (published stays null: a missing
 * date is never replaced by "now" here, the state store gives it a stable first-seen date).
 */
export function parseByline(
  text: string,
  timeZone: string,
  file: string,
  line: number,
): {
  byline: Byline;
  diagnostics: Diagnostic[];
} {
  const byline: Byline = { authors: [], published: null, updated: null };
  const diagnostics: Diagnostic[] = [];
  const warn = (code: DiagnosticCode, message: string) =>
    diagnostics.push({ severity: 'warning', code, file, line, message });
  const parts = text.split('|').map((part) => part.trim());
  parts.forEach((part, index) => {
    const dated = /^(published|updated)\b:?\s*(.*)$/i.exec(part);
    if (dated) {
      const kind = (dated[1] as string).toLowerCase() as 'published' | 'updated';
      const dateText = (dated[2] as string).trim();
      if (dateText === '') return;
      const iso = parseDate(dateText, timeZone);
      if (iso === null) warn('ingest/bad-date', `unrecognised ${kind} date "${dateText}"; left empty`);
      else byline[kind] = iso;
    } else if (index === 0) {
      byline.authors = splitAuthors(part);
    } else if (part !== '') {
      warn('ingest/bad-byline', `unrecognised byline part "${part}" ignored`);
    }
  });
  return { byline, diagnostics };
}

/** `A and B`, `A, B and C`, `A & B` are several people; a leading "By" is not part of a name. */
export function splitAuthors(text: string): string[] {
  const names = text.replace(/^by\s+/i, '').trim();
  if (names === '') return [];
  return names
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s+&\s+/i)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
