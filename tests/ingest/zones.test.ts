import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatIso, wallTimeToUtc } from '../../src/ingest/zones.ts';

// Zones with DST both ways, half-hour offsets and half-hour DST shifts.
const ZONES = [
  'America/New_York',
  'Europe/London',
  'America/St_Johns',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'UTC',
];
const zone = fc.constantFrom(...ZONES);
const instant = fc
  .integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 })
  .map((s) => s * 1000);

describe('zone offsets cached per day agree with luxon', () => {
  it('formatIso(instant, zone) is luxon toISO at seconds precision', () => {
    fc.assert(
      fc.property(instant, zone, (ms, z) => {
        expect(formatIso(ms, z)).toBe(
          DateTime.fromMillis(ms, { zone: z }).toISO({ suppressMilliseconds: true }),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('a wall time that exists exactly once maps to the instant luxon gives', () => {
    fc.assert(
      fc.property(instant, zone, (ms, z) => {
        const dt = DateTime.fromMillis(ms, { zone: z });
        const wall = {
          year: dt.year,
          month: dt.month,
          day: dt.day,
          hour: dt.hour,
          minute: dt.minute,
          second: dt.second,
        };
        const utc = wallTimeToUtc(wall, z);
        // Same wall time back; a different instant only in the repeated hour (two instants
        // share that wall time), where the earlier one is chosen on purpose.
        expect(formatIso(utc, z).slice(0, 19)).toBe(formatIso(ms, z).slice(0, 19));
        if (utc !== ms) expect(utc).toBeLessThan(ms);
      }),
      { numRuns: 3000 },
    );
  });

  it('the repeated hour is read as the first instant, whatever the time of year the build runs', () => {
    const wall = { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 };
    expect(formatIso(wallTimeToUtc(wall, 'America/New_York'), 'America/New_York')).toBe(
      '2026-11-01T01:30:00-04:00',
    );
  });

  it('a time in the skipped hour moves forward by the jump, as luxon does', () => {
    const wall = { year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 };
    const utc = wallTimeToUtc(wall, 'America/New_York');
    expect(formatIso(utc, 'America/New_York')).toBe('2026-03-08T03:30:00-04:00');
    expect(utc).toBe(DateTime.fromObject(wall, { zone: 'America/New_York' }).toMillis());
  });
});
