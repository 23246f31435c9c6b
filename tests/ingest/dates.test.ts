import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/ingest/index.ts';
import { codes, parseFixture } from './helpers.ts';

describe('every byline date style in FORMAT.md', () => {
  it.each([
    ['date-long.txt', '2026-10-02T00:00:00-04:00', null],
    ['date-long-time-edt.txt', '2026-10-05T10:00:00-04:00', null],
    ['date-iso-8601.txt', '2026-10-07T14:15:00-04:00', null],
    // 14:05 GMT is 10:05 in New York (EDT): same instant, expressed in the site's zone.
    ['date-rfc-gmt.txt', '2026-10-08T10:05:00-04:00', null],
    ['date-ap-style-et.txt', '2026-10-11T21:41:00-04:00', null],
    ['date-updated-published.txt', '2026-10-15T00:00:00-04:00', '2026-10-16T08:05:00-04:00'],
    // After the clocks change, ET is -05:00.
    ['date-est-in-winter.txt', '2026-11-20T06:10:00-05:00', null],
  ])('%s', (fixture, published, updated) => {
    const { articles, diagnostics } = parseFixture(fixture);
    expect(diagnostics).toEqual([]);
    expect(articles).toHaveLength(1);
    expect(articles[0]?.published).toBe(published);
    expect(articles[0]?.updated).toBe(updated);
  });

  it('a date without a zone is read in options.timeZone', () => {
    const { articles } = parseFixture('date-long.txt', { timeZone: 'Europe/Berlin' });
    expect(articles[0]?.published).toBe('2026-10-02T00:00:00+02:00');
  });

  it('a zoned date keeps its instant whatever options.timeZone is', () => {
    const { articles } = parseFixture('date-ap-style-et.txt', { timeZone: 'UTC' });
    expect(articles[0]?.published).toBe('2026-10-12T01:41:00Z');
  });

  it('an unrecognised date is a warning naming the line, and stays null (never "now")', () => {
    const result = parseFixture('date-unrecognised.txt');
    expect(result.articles[0]?.published).toBeNull();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'ingest/bad-date',
        file: 'fixtures/date-unrecognised.txt',
        line: 4,
      }),
    ]);
    expect(codes(result)).not.toContain('error:ingest/bad-date');
  });
});

describe('parseDate', () => {
  const zone = 'America/New_York';
  it.each([
    ['July 25, 2025', '2025-07-25T00:00:00-04:00'],
    ['July 25, 2025 10:00 AM EDT', '2025-07-25T10:00:00-04:00'],
    ['2025-07-25T10:00:00Z', '2025-07-25T06:00:00-04:00'],
    ['2025-07-25', '2025-07-25T00:00:00-04:00'],
    ['2025-07-25 18:30', '2025-07-25T18:30:00-04:00'],
    ['25 Jul 2025 14:05 GMT', '2025-07-25T10:05:00-04:00'],
    ['Fri, 25 Jul 2025 14:05:00 GMT', '2025-07-25T10:05:00-04:00'],
    ['Fri, 25 Jul 2025 14:05:00 +0000', '2025-07-25T10:05:00-04:00'],
    ['Jul. 3, 2025 at 9:41 p.m. ET', '2025-07-03T21:41:00-04:00'],
    ['Sept. 3, 2025 at 12:05 a.m. ET', '2025-09-03T00:05:00-04:00'],
    ['Dec. 3, 2025 at 12:00 p.m. ET', '2025-12-03T12:00:00-05:00'],
    ['January 5, 2026 9:00 AM PST', '2026-01-05T12:00:00-05:00'],
  ])('%s', (text, iso) => {
    expect(parseDate(text, zone)).toBe(iso);
  });

  it.each([
    '',
    'soon',
    'February 30, 2026',
    'Octember 3, 2026',
    'July 25, 2025 13:00 PM',
    'July 25, 2025 10:00 XYZ',
  ])('rejects %j', (text) => {
    expect(parseDate(text, zone)).toBeNull();
  });
});
