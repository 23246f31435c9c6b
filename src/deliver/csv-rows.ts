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

export type CsvRecord = CsvRow | CsvRowError;

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
  const reader = csvRecordReader(isRow);
  const records: CsvRecord[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((line, i) => {
    records.push(...reader.push(line, i + 1));
  });
  records.push(...reader.end());
  return {
    rows: records.filter((r): r is CsvRow => 'cells' in r),
    errors: records.filter((r): r is CsvRowError => 'message' in r),
  };
}

/**
 * The same reading one line at a time (what a streamed import feeds it): `push` returns the
 * records a line completes, `end` the rest. It holds only the lines of one open quoted cell.
 */
export function csvRecordReader(isRow: (cells: string[]) => boolean): {
  push(line: string, lineNumber: number): CsvRecord[];
  end(): CsvRecord[];
} {
  /** The lines of a record whose quote is still open, and where it starts. */
  let open: { lines: string[]; start: number } | null = null;

  const push = (line: string, lineNumber: number, out: CsvRecord[]): void => {
    if (open === null) {
      if (line.trim() === '') return;
      const result = parseRecord(line);
      if ('cells' in result) out.push({ line: lineNumber, cells: result.cells });
      else if ('open' in result) open = { lines: [line], start: lineNumber };
      else out.push({ line: lineNumber, message: result.error });
      return;
    }
    if (startsRow(line, isRow)) {
      giveUp(out);
      push(line, lineNumber, out);
      return;
    }
    open.lines.push(line);
    const result = parseRecord(open.lines.join('\n'));
    if ('cells' in result) {
      out.push({ line: open.start, cells: result.cells });
      open = null;
    } else if (!('open' in result)) giveUp(out);
  };

  /** The open record fails at its first line; reading goes on at the line after it. */
  const giveUp = (out: CsvRecord[]): void => {
    if (open === null) return;
    const { lines, start } = open;
    open = null;
    const first = parseRecord(lines.join('\n'));
    out.push({ line: start, message: 'error' in first ? first.error : 'unreadable row' });
    lines.slice(1).forEach((again, i) => {
      push(again, start + 1 + i, out);
    });
  };

  return {
    push(line, lineNumber) {
      const out: CsvRecord[] = [];
      push(line, lineNumber, out);
      return out;
    },
    end() {
      const out: CsvRecord[] = [];
      // Giving up may open another record from the replayed lines: until none is left open.
      while (open !== null) giveUp(out);
      return out;
    },
  };
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
