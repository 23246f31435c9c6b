import { DateTime, Interval } from 'luxon';
import type { Config } from '../config/index.ts';
import type { Edition } from '../types.ts';

/** "Nov 24, 2026, 9:41 AM EST" in the publication's zone; a date-only story (local midnight) shows no time. */
export function storyDateLabel(iso: string, zone: string, locale: string): string {
  const at = DateTime.fromISO(iso, { setZone: true }).setZone(zone).setLocale(locale);
  if (!at.isValid) return '';
  const midnight = at.hour === 0 && at.minute === 0 && at.second === 0 && at.millisecond === 0;
  return midnight
    ? at.toLocaleString(DateTime.DATE_MED)
    : at.toLocaleString({ ...DateTime.DATETIME_MED, timeZoneName: 'short' });
}

/**
 * The date an edition is "of": its last day (a window ends at an exclusive boundary, so one
 * millisecond before `until`), or the range of days when it spans more than one.
 */
export function editionDateLabel(edition: Pick<Edition, 'since' | 'until'>, config: Config): string {
  const zone = config.site.timeZone;
  const locale = config.site.language;
  const last = DateTime.fromISO(edition.until, { setZone: true })
    .setZone(zone)
    .setLocale(locale)
    .minus({ milliseconds: 1 });
  const first = edition.since
    ? DateTime.fromISO(edition.since, { setZone: true }).setZone(zone).setLocale(locale)
    : last;
  if (first.hasSame(last, 'day')) return last.toLocaleString(DateTime.DATE_HUGE);
  return Interval.fromDateTimes(first, last).toLocaleString(DateTime.DATE_MED);
}
