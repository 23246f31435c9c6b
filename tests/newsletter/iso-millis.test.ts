import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isoMillis } from '../../src/newsletter/select.ts';

// selectItems reads every story's date with a Date.parse fast path; it must agree with luxon.
describe('isoMillis', () => {
  it('agrees with luxon on every date-time luxon writes, in any zone', () => {
    const zones = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Europe/London'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.constantFrom(...zones),
        fc.boolean(),
        (millis, zone, suppress) => {
          const iso = DateTime.fromMillis(millis, { zone }).toISO({
            suppressMilliseconds: suppress,
          }) as string;
          expect(isoMillis(iso)).toBe(DateTime.fromISO(iso, { setZone: true }).toMillis());
        },
      ),
    );
  });

  it('falls back to luxon for forms Date.parse would read differently or not at all', () => {
    for (const text of ['2026-11-24T08:00:00.123456-05:00', '2026-11-24', '20261124T080000Z', 'not a date']) {
      const expected = DateTime.fromISO(text, { setZone: true }).toMillis();
      expect(Number.isNaN(expected) ? Number.isNaN(isoMillis(text)) : isoMillis(text) === expected).toBe(
        true,
      );
    }
  });
});
