import { DateTime, IANAZone } from 'luxon';
import { escapeHtml } from './html.ts';

/** What a `<time>` element needs of the site. */
export interface TimeSite {
  timeZone: string;
  language: string;
}

/**
 * A story's date as pages show it: `<time datetime="…Z">Nov 24, 2026, 3:00 PM EST</time>`, or
 * the day alone for a date that arrives as local midnight (exports often give only a day).
 * Each date is formatted once per zone and language: the same dates recur on many pages.
 */
export function timeHtml(iso: string, site: TimeSite): string {
  // Zone, then language, then the item's own date string: no key is built on this path (it runs
  // for every story on every page that lists it).
  let byLanguage = cache.get(site.timeZone);
  if (!byLanguage) {
    byLanguage = new Map();
    cache.set(site.timeZone, byLanguage);
  }
  let byIso = byLanguage.get(site.language);
  if (!byIso) {
    byIso = new Map();
    byLanguage.set(site.language, byIso);
  }
  let html = byIso.get(iso);
  if (html === undefined) {
    html = timeHtmlByIntl(iso, site) ?? timeHtmlByLuxon(iso, site);
    // A long-running `serve` stays bounded.
    if (byIso.size > 100_000) byIso.clear();
    byIso.set(iso, html);
  }
  return html;
}

const cache = new Map<string, Map<string, Map<string, string>>>();

/** The reference: luxon, for any date luxon reads and any zone (fixed offsets included). */
export function timeHtmlByLuxon(iso: string, site: TimeSite): string {
  const date = DateTime.fromISO(iso, { setZone: true }).setZone(site.timeZone).setLocale(site.language);
  const dayOnly = date.hour === 0 && date.minute === 0 && date.second === 0;
  const shown = dayOnly
    ? date.toLocaleString(DateTime.DATE_MED)
    : date.toLocaleString({ ...DateTime.DATETIME_MED, timeZoneName: 'short' });
  return `<time datetime="${escapeHtml(date.toUTC().toISO({ suppressMilliseconds: true }) ?? iso)}">${escapeHtml(shown)}</time>`;
}

/** The dates items carry: RFC 3339 with seconds and an offset (what normalize writes). */
const ITEM_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The same through Intl directly, with one formatter per zone, language and style: what luxon
 * does for an IANA zone (it formats with `Intl.DateTimeFormat(language, {…, timeZone})`), without
 * a DateTime per date (~50 µs each; a 100k-story site formats 100k dates). Undefined where it
 * would not be exactly luxon's: another date form, a fixed-offset zone ("UTC" is one to luxon),
 * a year outside 1900-9999 (older offsets have seconds in them).
 */
export function timeHtmlByIntl(iso: string, site: TimeSite): string | undefined {
  if (!ITEM_DATE.test(iso)) return undefined;
  const formats = intlFormats(site);
  const millis = Date.parse(iso);
  if (!formats || !Number.isFinite(millis)) return undefined;
  const utc = new Date(millis).toISOString();
  if (!/^\d{4}-/.test(utc) || utc < '1900') return undefined;
  // luxon's hour, minute and second in the zone all 0 (milliseconds not looked at).
  const local = millis + formats.zone.offset(millis) * 60_000;
  const dayOnly = ((local % DAY) + DAY) % DAY < 1000;
  const shown = (dayOnly ? formats.day : formats.dateTime).format(millis);
  const datetime = millis % 1000 === 0 ? `${utc.slice(0, 19)}Z` : utc;
  return `<time datetime="${escapeHtml(datetime)}">${escapeHtml(shown)}</time>`;
}

const DAY = 86_400_000;

interface IntlFormats {
  zone: IANAZone;
  day: Intl.DateTimeFormat;
  dateTime: Intl.DateTimeFormat;
}

const formatsBySite = new Map<string, IntlFormats | null>();

function intlFormats({ timeZone, language }: TimeSite): IntlFormats | null {
  const key = `${timeZone}|${language}`;
  let formats = formatsBySite.get(key);
  if (formats === undefined) {
    // luxon treats "UTC" and "GMT" (any case) as fixed offsets, formatted its own way.
    const zone = /^(utc|gmt)$/i.test(timeZone) ? null : IANAZone.create(timeZone);
    formats =
      zone?.isValid === true
        ? {
            zone,
            day: new Intl.DateTimeFormat(language, {
              year: 'numeric',
              month: 'short',
              day: 'numeric',
              timeZone,
            }),
            dateTime: new Intl.DateTimeFormat(language, {
              year: 'numeric',
              month: 'short',
              day: 'numeric',
              hour: 'numeric',
              minute: 'numeric',
              timeZoneName: 'short',
              timeZone,
            }),
          }
        : null;
    formatsBySite.set(key, formats);
  }
  return formats;
}
