import { DateTime } from 'luxon';

/**
 * Dates as the publisher writes them, every style FORMAT.md lists:
 *   July 25, 2025 · July 25, 2025 10:00 AM EDT · 2025-07-25T10:00:00-04:00
 *   25 Jul 2025 14:05 GMT · Fri, 25 Jul 2025 14:05:00 GMT · Jul. 3, 2025 at 9:41 p.m. ET
 * Parsed by hand rather than with a list of luxon formats because the styles combine freely
 * (abbreviations with or without a period, "at", a.m./AM, a zone or none).
 */

/** US newsroom zone names mean the IANA zone (so EST in July is read as EDT, as intended). */
const ZONES: Record<string, string> = {
  ET: 'America/New_York',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CT: 'America/Chicago',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  MT: 'America/Denver',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  PT: 'America/Los_Angeles',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  GMT: 'UTC',
  UTC: 'UTC',
  UT: 'UTC',
  Z: 'UTC',
};

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const WEEKDAY = /^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+/i;
const MONTH_FIRST = /^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(?:at\s+)?(.*))?$/i;
const DAY_FIRST = /^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})(?:,?\s+(?:at\s+)?(.*))?$/i;
const TIME_AND_ZONE =
  /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?\s*(?:([A-Za-z]{1,4})|([+-]\d{2}):?(\d{2}))?$/i;

/**
 * Reads one date; null when the text is not a date we understand. The result is ISO 8601 with
 * the offset of `timeZone` (the site's zone), whatever zone the source wrote: one zone for
 * every article keeps feeds and pages consistent. A date without a zone is in `timeZone`.
 */
export function parseDate(text: string, timeZone: string): string | null {
  const value = text.trim();
  if (value === '') return null;
  const dt = parseAnyStyle(value, timeZone);
  if (dt === null || !dt.isValid) return null;
  return toIso(dt.setZone(timeZone));
}

/** The one ISO form every stage sees: seconds precision, explicit offset. */
export function toIso(dt: DateTime): string {
  return dt.toISO({ suppressMilliseconds: true }) as string;
}

function parseAnyStyle(value: string, timeZone: string): DateTime | null {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const iso = DateTime.fromISO(value, { zone: timeZone });
    if (iso.isValid) return iso;
    const sql = DateTime.fromSQL(value, { zone: timeZone });
    return sql.isValid ? sql : null;
  }
  const text = value.replace(WEEKDAY, '');
  const monthFirst = MONTH_FIRST.exec(text);
  if (monthFirst) {
    const [, month, day, year, rest] = monthFirst;
    return build(Number(year), monthNumber(month as string), Number(day), rest, timeZone);
  }
  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst) {
    const [, day, month, year, rest] = dayFirst;
    return build(Number(year), monthNumber(month as string), Number(day), rest, timeZone);
  }
  return null;
}

/** "Sept", "Sep", "September" → 9; anything that is not a prefix of a month name → 0. */
function monthNumber(name: string): number {
  const lower = name.toLowerCase();
  if (lower.length < 3) return 0;
  return MONTHS.findIndex((month) => month.startsWith(lower)) + 1;
}

function build(
  year: number,
  month: number,
  day: number,
  rest: string | undefined,
  timeZone: string,
): DateTime | null {
  if (month === 0) return null;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let zone = timeZone;
  const timeText = (rest ?? '').trim();
  if (timeText !== '') {
    const onlyZone = ZONES[timeText.toUpperCase()];
    const m = onlyZone ? null : TIME_AND_ZONE.exec(timeText);
    if (onlyZone) {
      zone = onlyZone;
    } else {
      if (!m) return null;
      const [, h, min, sec, meridiem, zoneName, offsetHours, offsetMinutes] = m;
      hour = Number(h);
      minute = Number(min ?? 0);
      second = Number(sec ?? 0);
      if (meridiem) {
        if (hour < 1 || hour > 12) return null;
        const pm = meridiem.toLowerCase().startsWith('p');
        hour = (hour % 12) + (pm ? 12 : 0);
      } else if (min === undefined) {
        return null; // a bare number after the year is not a time we can trust
      }
      if (zoneName) {
        const named = ZONES[zoneName.toUpperCase()];
        if (!named) return null;
        zone = named;
      } else if (offsetHours) {
        zone = `UTC${offsetHours}:${offsetMinutes}`;
      }
    }
  }
  const dt = DateTime.fromObject({ year, month, day, hour, minute, second }, { zone });
  return dt.isValid ? dt : null;
}
