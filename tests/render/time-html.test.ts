import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { timeHtml, timeHtmlByIntl, timeHtmlByLuxon } from '../../src/render/time-html.ts';

// Story dates on pages are formatted through Intl directly (one formatter per zone and
// language) instead of a luxon DateTime per date: the HTML must be luxon's, byte for byte.

const zones = [
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata', // +05:30
  'Australia/Lord_Howe', // half-hour summer time
  'Pacific/Apia', // skipped a day in 2011
  'America/Sao_Paulo',
  'Etc/UTC',
];
const languages = ['en', 'en-GB', 'de', 'fr', 'es', 'ja', 'ar'];

/** Dates as items carry them: every 241 hours 2000-2030 in three offsets, midnights, fractions. */
function itemDates(zone: string): string[] {
  const dates: string[] = [];
  const end = Date.UTC(2030, 0, 1);
  for (let ms = Date.UTC(2000, 0, 1, 3, 17); ms < end; ms += 241 * 3_600_000) {
    for (const shown of ['utc', 'America/Chicago', 'Asia/Kolkata'])
      dates.push(DateTime.fromMillis(ms, { zone: shown }).toISO({ suppressMilliseconds: true }) as string);
  }
  // Local midnight in the site's zone (a day-only date), every 37 days, and a second after it.
  for (
    let day = DateTime.fromObject({ year: 2000, month: 1, day: 1 }, { zone });
    day.year < 2030;
    day = day.plus({ days: 37 })
  ) {
    dates.push(day.toISO({ suppressMilliseconds: true }) as string);
    dates.push(day.plus({ seconds: 1 }).toISO({ suppressMilliseconds: true }) as string);
    dates.push(day.plus({ milliseconds: 250 }).toISO() as string);
  }
  return dates;
}

describe('a story date on a page', () => {
  for (const timeZone of zones)
    it(`is luxon's HTML, through Intl (${timeZone}, ${languages.length} languages)`, () => {
      const dates = itemDates(timeZone);
      let compared = 0;
      for (const language of languages) {
        const site = { timeZone, language };
        for (const iso of dates) {
          const fast = timeHtmlByIntl(iso, site);
          expect(fast, iso).toBeDefined();
          if (fast !== timeHtmlByLuxon(iso, site))
            expect({ iso, language, fast }).toEqual({ iso, language, fast: timeHtmlByLuxon(iso, site) });
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(3_000);
    });

  it('shows a day-only date as the day, and anything else with its time and zone', () => {
    const site = { timeZone: 'America/New_York', language: 'en' };
    expect(timeHtml('2026-11-24T00:00:00-05:00', site)).toBe(
      '<time datetime="2026-11-24T05:00:00Z">Nov 24, 2026</time>',
    );
    expect(timeHtml('2026-11-24T15:00:00Z', site)).toBe(
      '<time datetime="2026-11-24T15:00:00Z">Nov 24, 2026, 10:00 AM EST</time>',
    );
  });

  it('leaves what it cannot match exactly to luxon: fixed-offset zones, other forms, old years', () => {
    expect(timeHtmlByIntl('2026-11-24T15:00:00Z', { timeZone: 'UTC', language: 'en' })).toBeUndefined();
    expect(timeHtmlByIntl('2026-11-24', { timeZone: 'Europe/Berlin', language: 'en' })).toBeUndefined();
    expect(
      timeHtmlByIntl('1883-11-18T12:00:00-05:00', { timeZone: 'America/New_York', language: 'en' }),
    ).toBeUndefined();
    const utc = { timeZone: 'UTC', language: 'en' };
    expect(timeHtml('2026-11-24T15:00:00Z', utc)).toBe(timeHtmlByLuxon('2026-11-24T15:00:00Z', utc));
  });
});
