import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/ingest/index.ts';
import { parseText } from './helpers.ts';

// "Dec 31, 9999 11:59 PM ET" is 10000-01-01 in UTC: the JSON Feed carried
// "+010000-01-01T04:59:59Z", which no reader parses (RFC 3339 has four-digit years), and the
// same came from a YAML date. A date that no output can write, in every zone, is unreadable.

const NY = 'America/New_York';

describe('dates outside the years a feed can write', () => {
  it.each(['Dec 31, 9999 11:59 PM ET', '9999-12-31T23:59:59-05:00', '9999-12-31T12:00:00Z'])(
    '%s is left empty',
    (text) => {
      expect(parseDate(text, NY)).toBeNull();
    },
  );

  it('dates well inside them are read as before', () => {
    expect(parseDate('9999-12-29T12:00:00Z', NY)).toBe('9999-12-29T07:00:00-05:00');
    expect(parseDate('1969-12-31T23:59:59Z', NY)).toBe('1969-12-31T18:59:59-05:00');
    expect(parseDate('2026-11-24T10:00:00-05:00', NY)).toBe('2026-11-24T10:00:00-05:00');
  });

  it('a YAML date in front matter is held to the same range, with a warning naming the line', () => {
    const result = parseText(
      '---\ntitle: Far Future\ndate: 9999-12-31T23:59:59-05:00\n---\n\nBody.\n',
      'far.md',
    );
    expect(result.articles[0]?.published).toBeNull();
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([['ingest/bad-date', 3]]);
  });
});
