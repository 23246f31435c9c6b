import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { offsetTable } from '../../src/render/xslt.ts';

// The feed stylesheet's offset table looks at days only where a window's ends differ: it must
// find every change a day-by-day scan finds, in the zones whose rules are the hardest.

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The plain scan: every day from 2000 to 2060, each change pinned to its minute. */
function dayByDay(timeZone: string): string {
  const zone = IANAZone.create(timeZone);
  const key = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace(/\D/g, '');
  const start = Date.UTC(2000, 0, 1);
  let entries = `${key(start)}=${zone.offset(start)};`;
  for (let day = start; day < Date.UTC(2061, 0, 1); day += DAY) {
    if (zone.offset(day) === zone.offset(day + DAY)) continue;
    let [low, high] = [day, day + DAY];
    while (high - low > MINUTE) {
      const mid = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
      if (zone.offset(mid) === zone.offset(day)) low = mid;
      else high = mid;
    }
    entries += `${key(high)}=${zone.offset(high)};`;
  }
  return entries;
}

const zones = [
  'America/Boa_Vista', // two changes 7 days apart (October 2000): the closest of any zone
  'Africa/Casablanca', // summer time suspended for Ramadan: four changes some years
  'Africa/El_Aaiun',
  'Pacific/Apia', // skipped a whole day in 2011
  'Australia/Lord_Howe', // half-hour summer time
  'Asia/Gaza', // changes moved year by year
  'Antarctica/Troll', // +2 hours in summer
  'America/New_York',
  'Asia/Kolkata', // no change at all
];

describe('the feed stylesheet offset table', () => {
  for (const zone of zones)
    it(`finds every change a day-by-day scan finds (${zone})`, () => {
      expect(offsetTable(zone)).toBe(dayByDay(zone));
    });

  it('relies on no two changes of a zone being 5 days apart or closer (Boa Vista: 7, the closest)', () => {
    const at = (entry: string) =>
      Date.UTC(
        +entry.slice(0, 4),
        +entry.slice(4, 6) - 1,
        +entry.slice(6, 8),
        +entry.slice(8, 10),
        +entry.slice(10, 12),
      );
    const closest = (zone: string) => {
      const times = dayByDay(zone).split(';').filter(Boolean).slice(1).map(at);
      return Math.min(...times.slice(1).map((time, i) => (time - (times[i] as number)) / DAY));
    };
    for (const zone of zones.filter((z) => z !== 'Asia/Kolkata')) expect(closest(zone)).toBeGreaterThan(5);
    expect(Math.round(closest('America/Boa_Vista'))).toBe(7);
  });

  it('has each change of a zone with summer time, twice a year', () => {
    const changes = offsetTable('America/New_York').split(';').filter(Boolean);
    // The start, then two a year from 2000 to 2060.
    expect(changes).toHaveLength(1 + 2 * 61);
    expect(changes).toContain('202603080700=-240');
    expect(offsetTable('Asia/Kolkata')).toBe('200001010000=330;');
  });
});
