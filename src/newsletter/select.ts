import { DateTime } from 'luxon';
import type { Item } from '../types.ts';

export type Period = 'since-last' | 'daily' | 'weekly';

/** How long the very first since-last edition reaches back when no edition exists yet. */
export const FIRST_EDITION_DAYS = 7;

/**
 * The stretch of publication time one edition covers: `[since, until)`, half-open so that
 * consecutive editions partition time (a story dated exactly at a boundary, such as a date-only
 * story at local midnight, lands in exactly one edition).
 */
export interface EditionWindow {
  period: Period | 'since';
  since: DateTime;
  until: DateTime;
  /** The readable id before any same-day suffix: `2026-11-24` or `2026-W48`. */
  baseId: string;
}

export interface WindowRequest {
  period: Period;
  /** `--since`: an ISO date or date-time; without an offset it is read in `timeZone`. */
  since?: string;
  now: DateTime;
  timeZone: string;
  /** Where the previous edition ended (its `until`), or null for the first edition ever. */
  previousUntil: string | null;
}

export type WindowResult = { ok: true; window: EditionWindow } | { ok: false; message: string };

/**
 * The window for this build:
 * - `--since X`: from X up to now;
 * - `daily`: the last complete calendar day in the publication's zone (23 or 25 hours on a
 *   daylight-saving change, because luxon adds calendar days in that zone);
 * - `weekly`: the last complete ISO week (Monday 00:00 to Monday 00:00);
 * - `since-last`: from where the previous edition ended up to now; the first edition ever
 *   reaches back FIRST_EDITION_DAYS days.
 * Complete periods make a daily or weekly edition the same whenever in the next period it is built.
 */
export function editionWindow(request: WindowRequest): WindowResult {
  const now = request.now.setZone(request.timeZone);
  // Windows that run "up to now" end just after it: a story this very build saw first (an
  // undated one is stamped with the build's now) belongs in this edition, not the next.
  const justAfterNow = now.plus({ milliseconds: 1 });
  if (request.since !== undefined) {
    const since = parseSince(request.since, request.timeZone);
    if (!since) return { ok: false, message: notADate(request.since) };
    if (since >= now)
      return { ok: false, message: `--since ${request.since} is not before now (${now.toISO()})` };
    return { ok: true, window: { period: 'since', since, until: justAfterNow, baseId: dayId(now) } };
  }
  if (request.period === 'daily') {
    const since = now.startOf('day').minus({ days: 1 });
    return {
      ok: true,
      window: { period: 'daily', since, until: since.plus({ days: 1 }), baseId: dayId(since) },
    };
  }
  if (request.period === 'weekly') {
    // luxon's startOf('week') is the ISO week (Monday) unless locale weeks are asked for.
    const since = now.startOf('week').minus({ weeks: 1 });
    return {
      ok: true,
      window: { period: 'weekly', since, until: since.plus({ weeks: 1 }), baseId: weekId(since) },
    };
  }
  const previous = request.previousUntil ? DateTime.fromISO(request.previousUntil, { setZone: true }) : null;
  const since = previous?.isValid
    ? previous.setZone(request.timeZone)
    : now.minus({ days: FIRST_EDITION_DAYS });
  return { ok: true, window: { period: 'since-last', since, until: justAfterNow, baseId: dayId(now) } };
}

/**
 * Stories published inside the window, newest first (ties broken by title, then id, for stable
 * order), leaving out those an earlier edition carried (`sent`, by stable item id): a re-export
 * that moves a story's date into this window must not send it to readers a second time.
 */
export function selectItems(
  items: Item[],
  window: EditionWindow,
  sent: ReadonlySet<string> = new Set(),
): Item[] {
  const since = window.since.toMillis();
  const until = window.until.toMillis();
  return items
    .map((item) => ({ item, at: publishedMillis(item) }))
    .filter(({ item, at }) => Number.isFinite(at) && at >= since && at < until && !sent.has(item.id))
    .sort(
      (a, b) => b.at - a.at || compareText(a.item.title, b.item.title) || compareText(a.item.id, b.item.id),
    )
    .map(({ item }) => item);
}

/**
 * Milliseconds of an ISO 8601 date-time. Items carry luxon's `toISO()` form, which `Date.parse`
 * reads exactly and ~20× faster (this runs for every story on every build); anything else
 * goes through luxon.
 */
const PLAIN_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?(?:Z|[+-]\d\d:\d\d)$/;

const publishedAt = new WeakMap<Item, number>();

/** Per Item object: `serve` selects from the same 10,000 items on every rebuild. */
function publishedMillis(item: Item): number {
  let at = publishedAt.get(item);
  if (at === undefined) {
    at = isoMillis(item.published);
    publishedAt.set(item, at);
  }
  return at;
}

export function isoMillis(text: string): number {
  if (PLAIN_ISO.test(text)) return Date.parse(text);
  return DateTime.fromISO(text, { setZone: true }).toMillis();
}

/**
 * A readable id not yet taken: the base id, else `<base>-2`, `<base>-3`… (two editions on one day).
 */
export function uniqueEditionId(baseId: string, taken: ReadonlySet<string>): string {
  if (!taken.has(baseId)) return baseId;
  for (let n = 2; ; n++) {
    const candidate = `${baseId}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function dayId(at: DateTime): string {
  return at.toFormat('yyyy-MM-dd');
}

/** ISO week-numbering year and week: 2026-W48 (the week-year differs from the calendar year around New Year). */
export function weekId(at: DateTime): string {
  return at.toFormat("kkkk-'W'WW");
}

/** Why a `--since` value can never make a window (it is not a date), or null: checked before a build starts. */
export function sinceSyntaxProblem(text: string): string | null {
  return parseSince(text, 'UTC') ? null : notADate(text);
}

function notADate(text: string): string {
  return `--since: not an ISO 8601 date or date-time: "${text}"`;
}

function parseSince(text: string, timeZone: string): DateTime | null {
  const parsed = DateTime.fromISO(text.trim(), { zone: timeZone, setZone: false });
  return parsed.isValid ? parsed.setZone(timeZone) : null;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
