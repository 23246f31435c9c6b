import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSubscribersCsv } from '../../src/deliver/index.ts';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('subscriber CSV import: an empty file', () => {
  // A failed export often leaves a 0-byte file; a nightly import must say so, not "imported 0 of 0".
  it('is reported like a file without a header, on line 1', () => {
    const { rows, diagnostics } = parseSubscribersCsv(fixture('subscribers-empty.csv'), 'signups.csv', []);
    expect(rows).toEqual([]);
    expect(diagnostics).toMatchObject([
      { severity: 'error', code: 'subscribers/header', file: 'signups.csv', line: 1 },
    ]);
    expect(diagnostics[0]?.message).toContain('empty');
  });

  it('is not confused with a header and no rows, which imports nothing quietly', () => {
    const { rows, diagnostics } = parseSubscribersCsv('email,name\r\n', 'signups.csv', []);
    expect(rows).toEqual([]);
    expect(diagnostics).toEqual([]);
  });
});
