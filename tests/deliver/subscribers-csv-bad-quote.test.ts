import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSubscribersCsv } from '../../src/deliver/index.ts';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const TOPICS = ['transit', 'climate'];

// Ten rows, one bad quote on line 8. csv-parse over the whole file blamed lines 8 and 9 for the
// first, and an unclosed quote swallowed valid rows after it: each bad row is reported once, at
// its own line, and every row after it is kept.
describe('subscriber CSV import: one bad quote', () => {
  it('a quote inside a quoted name: one error at line 8, the other nine rows kept', () => {
    const { rows, diagnostics } = parseSubscribersCsv(
      fixture('subscribers-bad-quote-line-8.csv'),
      'list.csv',
      TOPICS,
    );
    expect(diagnostics.map((d) => [d.line, d.severity, d.code])).toEqual([[8, 'error', 'subscribers/csv']]);
    expect(diagnostics[0]?.message).toMatch(/quote/i);
    expect(rows.map((row) => row.line)).toEqual([2, 3, 4, 5, 6, 7, 9, 10, 11]);
    expect(rows.at(-1)).toMatchObject({ email: 'jon@example.org', name: 'Jon Watt' });
  });

  it('a quote opened and never closed: one error at line 8, the rows after it (quoted or not) kept', () => {
    const { rows, diagnostics } = parseSubscribersCsv(
      fixture('subscribers-unclosed-quote-line-8.csv'),
      'list.csv',
      TOPICS,
    );
    expect(diagnostics.map((d) => [d.line, d.code])).toEqual([[8, 'subscribers/csv']]);
    expect(rows.map((row) => [row.line, row.email, row.name])).toEqual([
      [2, 'ann@example.org', 'Ann Lee'],
      [3, 'bob@example.org', 'Bob Ray'],
      [4, 'cal@example.org', 'Cal Ode'],
      [5, 'dee@example.org', 'Dee Ng'],
      [6, 'eve@example.org', 'Eve Ito'],
      [7, 'fay@example.org', 'Fay Orr'],
      [9, 'hal@example.org', 'Hal Berg'],
      [10, 'ivy@example.org', 'Ivy Chu'],
      [11, 'jon@example.org', 'Jon Watt'],
    ]);
  });

  it('with CRLF line ends the lines are the same', () => {
    const text = fixture('subscribers-unclosed-quote-line-8.csv').replaceAll('\n', '\r\n');
    const { rows, diagnostics } = parseSubscribersCsv(text, 'list.csv', TOPICS);
    expect(diagnostics.map((d) => d.line)).toEqual([8]);
    expect(rows).toHaveLength(9);
  });
});
