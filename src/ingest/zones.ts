import { IANAZone } from 'luxon';

/**
 * Wall-clock time ↔ instant for IANA zones, with the zone offsets cached per UTC day.
 *
 * Why not luxon's DateTime for every date: each conversion asks Intl for the zone offset
 * (two or three times), which made dates most of the parse time. And luxon's `fromObject`
 * starts from the offset in force *now*, so an ambiguous wall time (the repeated hour when
 * clocks go back) could be read differently in summer and winter builds. Here the earlier
 * of the two instants is always chosen, so the same text gives the same instant every time.
 * luxon still computes every offset (its IANAZone knows the tz database via Intl).
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A zone: an IANA name (or "UTC"), or a fixed offset in minutes east of UTC. */
export type ZoneSpec = string | number;

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// zone → UTC day index → [offset at the day's start, offset at its end]. Offsets change at
// most once a day, so equal ends mean one offset for the whole day.
const offsetsByDay = new Map<string, Map<number, [number, number]>>();
const MAX_CACHED_DAYS = 50_000;

function isUtc(zone: string): boolean {
  return zone.toUpperCase() === 'UTC';
}

/** Minutes east of UTC in force in `zone` at `utcMs`. */
export function offsetAt(zone: ZoneSpec, utcMs: number): number {
  if (typeof zone === 'number') return zone;
  if (isUtc(zone)) return 0;
  let days = offsetsByDay.get(zone);
  if (days === undefined) {
    days = new Map();
    offsetsByDay.set(zone, days);
  }
  const dayIndex = Math.floor(utcMs / DAY);
  let ends = days.get(dayIndex);
  if (ends === undefined) {
    const iana = IANAZone.create(zone);
    ends = [iana.offset(dayIndex * DAY), iana.offset(dayIndex * DAY + DAY - 1)];
    if (days.size >= MAX_CACHED_DAYS) days.clear();
    days.set(dayIndex, ends);
  }
  return ends[0] === ends[1] ? ends[0] : IANAZone.create(zone).offset(utcMs);
}

export function isValidWallTime(t: WallTime): boolean {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.hour > 23 || t.minute > 59 || t.second > 59) return false;
  const daysInMonth = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
  // Date.UTC reads years 0-99 as 1900-1999; no article is dated before the year 1000.
  return t.day <= daysInMonth && t.year >= 1000 && t.year <= 9999;
}

/**
 * The instant a wall time in `zone` names. In the hour skipped when clocks go forward, the
 * time is read with the offset before the change (02:30 becomes 03:30), as luxon does; in
 * the hour repeated when they go back, the first (daylight-time) instant is chosen.
 */
export function wallTimeToUtc(t: WallTime, zone: ZoneSpec): number {
  const local = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  // Offsets a day either side cover every transition that could apply to this wall time.
  const before = offsetAt(zone, local - DAY);
  const after = offsetAt(zone, local + DAY);
  const candidates = [local - before * MINUTE, local - after * MINUTE].filter(
    (utc) => offsetAt(zone, utc) * MINUTE + utc === local,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  return local - Math.min(before, after) * MINUTE; // in the gap: shift forward by the jump
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** ISO 8601 at seconds precision with the zone's offset (`Z` for UTC), like luxon's toISO. */
export function formatIso(utcMs: number, zone: ZoneSpec): string {
  const offset = offsetAt(zone, utcMs);
  const wall = new Date(utcMs + offset * MINUTE);
  const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
  if (typeof zone === 'string' && isUtc(zone)) return `${date}T${time}Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${date}T${time}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
