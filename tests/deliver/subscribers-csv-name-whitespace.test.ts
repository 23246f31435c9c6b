import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSubscribersCsv } from '../../src/deliver/index.ts';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('subscriber CSV import: names', () => {
  // A quoted cell may hold a line break (a spreadsheet cell with Alt+Enter); in a To: header it
  // becomes "=0D=0A" in the reader's inbox and breaks the tab-separated `subscribers list`.
  it('folds line breaks, tabs and runs of spaces in a name to single spaces', () => {
    const { rows, diagnostics } = parseSubscribersCsv(
      fixture('subscribers-name-with-line-break.csv'),
      'list.csv',
      [],
    );
    expect(diagnostics).toEqual([]);
    expect(rows.map((row) => [row.email, row.name])).toEqual([
      ['ann@example.org', 'Ann Lee'],
      ['bob@example.org', 'Bob Jones'],
    ]);
  });
});
