import { DateTime } from 'luxon';
import { formatIso, isValidWallTime, type WallTime, wallTimeToUtc, type ZoneSpec } from './zones.ts';

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
  const key = `${timeZone}\u0000${value}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const instant = parseAnyStyle(value, timeZone);
  const iso = instant === null || !isWritableInstant(instant) ? null : formatIso(instant, timeZone);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(ownCopy(key), iso);
  return iso;
}

// A day inside the years a feed can write (RFC 3339's four digits), so that no zone's local
// form of an accepted date falls outside them: "Dec 31, 9999 11:59 PM ET" became
// "+010000-01-01T04:59:59Z" in the JSON Feed, which no reader parses.
const FIRST_INSTANT = Date.parse('0001-01-02T00:00:00Z');
const LAST_INSTANT = Date.parse('9999-12-30T23:59:59Z');

/** Whether an instant (epoch ms) can be written as a date by every output, in every zone. */
export function isWritableInstant(ms: number): boolean {
  return ms >= FIRST_INSTANT && ms <= LAST_INSTANT;
}

/**
 * The same characters in a string of their own. A date read from a file is a slice of the whole
 * file's text, and V8 keeps all of a string alive while any slice of it is: kept as a cache key,
 * it kept the whole file. Measured on the 10k bench corpus, that was 35 MiB of files still held
 * after the build had let go of them. Slicing a concatenation flattens it into a new string of
 * just these characters (the result is a slice of that, or a copy when short).
 */
function ownCopy(text: string): string {
  return ` ${text}`.slice(1);
}

// A corpus repeats its dates (one day's stories, re-exports, date-only bylines). The answer
// depends only on the text and the zone, so remembering it cannot change any output.
const CACHE_LIMIT = 20_000;
const cache = new Map<string, string | null>();

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** The instant (epoch milliseconds) a date names, or null. */
function parseAnyStyle(value: string, timeZone: string): number | null {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) return parseIsoDate(value, timeZone);
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

/** The common ISO 8601 shapes by hand; luxon for the rest (week dates, ordinal dates). */
function parseIsoDate(value: string, timeZone: string): number | null {
  const m = ISO_DATE.exec(value);
  if (m === null) {
    const dt = DateTime.fromISO(value, { zone: timeZone });
    return dt.isValid ? Math.floor(dt.toMillis() / 1000) * 1000 : null;
  }
  const [, year, month, day, hour, minute, second, offset] = m;
  const wall: WallTime = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
  };
  if (!isValidWallTime(wall)) return null;
  return wallTimeToUtc(wall, offset === undefined ? timeZone : offsetMinutes(offset));
}

/** "Z", "+05:30", "-0400", "+02" → minutes east of UTC. */
function offsetMinutes(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return offset.startsWith('-') ? -minutes : minutes;
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
): number | null {
  if (month === 0) return null;
  const wall: WallTime = { year, month, day, hour: 0, minute: 0, second: 0 };
  let zone: ZoneSpec = timeZone;
  const timeText = (rest ?? '').trim();
  if (timeText !== '') {
    const onlyZone = ZONES[timeText.toUpperCase()];
    const m = onlyZone ? null : TIME_AND_ZONE.exec(timeText);
    if (onlyZone) {
      zone = onlyZone;
    } else {
      if (!m) return null;
      const [, h, min, sec, meridiem, zoneName, offsetHours, offsetMins] = m;
      wall.hour = Number(h);
      wall.minute = Number(min ?? 0);
      wall.second = Number(sec ?? 0);
      if (meridiem) {
        if (wall.hour < 1 || wall.hour > 12) return null;
        const pm = meridiem.toLowerCase().startsWith('p');
        wall.hour = (wall.hour % 12) + (pm ? 12 : 0);
      } else if (min === undefined) {
        return null; // a bare number after the year is not a time we can trust
      }
      if (zoneName) {
        const named = ZONES[zoneName.toUpperCase()];
        if (!named) return null;
        zone = named;
      } else if (offsetHours) {
        zone = offsetMinutes(`${offsetHours}${offsetMins}`);
      }
    }
  }
  if (!isValidWallTime(wall)) return null;
  return wallTimeToUtc(wall, zone);
}
