import { parse } from 'csv-parse/sync';

/** One CSV record and the 1-based line it starts on. */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** A row csv-parse refused, reported once, at the line it starts on. */
export interface CsvRowError {
  line: number;
  message: string;
}

/**
 * Splits CSV text into records, each with the line it starts on, so one bad quote costs one row.
 *
 * csv-parse over the whole text (measured, v7.0.3, `skip_records_with_error`) resumes inside the
 * broken record: `a,"Hal "The Hammer" Ng"` on line 8 gives two errors (lines 8 and 9), and an
 * unclosed quote swallows every line up to the next quote, so valid rows after it vanish.
 * Here csv-parse reads one record at a time: a line, joined with the next lines only while its
 * quote is open (a spreadsheet cell with a line break) and only while the next line is not a row
 * of its own (`isRow`). A row that still fails is reported at its first line, and reading goes
 * on at the line after it.
 */
export function readCsvRows(
  text: string,
  isRow: (cells: string[]) => boolean,
): {
  rows: CsvRow[];
  errors: CsvRowError[];
} {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const rows: CsvRow[] = [];
  const errors: CsvRowError[] = [];
  let at = 0;
  while (at < lines.length) {
    const first = lines[at] as string;
    if (first.trim() === '') {
      at++;
      continue;
    }
    let end = at;
    let result = parseRecord(first);
    while ('open' in result && end + 1 < lines.length && !startsRow(lines[end + 1] as string, isRow)) {
      end++;
      result = parseRecord(lines.slice(at, end + 1).join('\n'));
    }
    if ('cells' in result) {
      rows.push({ line: at + 1, cells: result.cells });
      at = end + 1;
    } else {
      errors.push({ line: at + 1, message: result.error });
      at++;
    }
  }
  return { rows, errors };
}

type Parsed = { cells: string[] } | { error: string; open?: true };

function parseRecord(text: string): Parsed {
  try {
    const records = parse(text, { relax_column_count: true }) as string[][];
    if (records.length === 1) return { cells: records[0] as string[] };
    return { error: 'a quoted cell ends a row early' };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const clean = message.replace(/ at line \d+/, '');
    return code === 'CSV_QUOTE_NOT_CLOSED'
      ? { error: 'a quote is opened and never closed', open: true }
      : { error: clean };
  }
}

function startsRow(line: string, isRow: (cells: string[]) => boolean): boolean {
  const parsed = parseRecord(line);
  return 'cells' in parsed && isRow(parsed.cells);
}
