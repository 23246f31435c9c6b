import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { editionWindow, selectItems } from '../../src/newsletter/index.ts';
import { makeItem } from './helpers.ts';

const zone = 'America/New_York';
const at = (iso: string) => DateTime.fromISO(iso, { zone });

function window(period: 'daily' | 'weekly', now: string) {
  const result = editionWindow({ period, now: at(now), timeZone: zone, previousUntil: null });
  if (!result.ok) throw new Error(result.message);
  return result.window;
}

describe('daily windows across daylight-saving changes (America/New_York)', () => {
  it('is 25 hours on 2026-11-01, when clocks fall back', () => {
    const w = window('daily', '2026-11-02T07:00');
    expect(w.baseId).toBe('2026-11-01');
    expect(w.since.toISO()).toBe('2026-11-01T00:00:00.000-04:00');
    expect(w.until.toISO()).toBe('2026-11-02T00:00:00.000-05:00');
    expect(w.until.diff(w.since, 'hours').hours).toBe(25);
  });

  it('is 23 hours on 2026-03-08, when clocks spring forward', () => {
    const w = window('daily', '2026-03-09T06:30');
    expect(w.baseId).toBe('2026-03-08');
    expect(w.since.toISO()).toBe('2026-03-08T00:00:00.000-05:00');
    expect(w.until.toISO()).toBe('2026-03-09T00:00:00.000-04:00');
    expect(w.until.diff(w.since, 'hours').hours).toBe(23);
  });

  it('keeps a story from the repeated 1 a.m. hour and drops next midnight’s story', () => {
    const w = window('daily', '2026-11-02T07:00');
    const first = makeItem({ title: 'first 1:30 EDT', published: '2026-11-01T01:30:00-04:00' });
    const repeated = makeItem({ title: 'second 1:30 EST', published: '2026-11-01T01:30:00-05:00' });
    const lateEvening = makeItem({ title: 'late', published: '2026-11-01T23:59:59-05:00' });
    const nextMidnight = makeItem({ title: 'next day', published: '2026-11-02T00:00:00-05:00' });
    const dayBefore = makeItem({ title: 'day before', published: '2026-10-31T23:59:00-04:00' });
    const selected = selectItems([first, repeated, lateEvening, nextMidnight, dayBefore], w).map(
      (i) => i.title,
    );
    expect(selected).toEqual(['late', 'second 1:30 EST', 'first 1:30 EDT']);
  });

  it('includes a date-only story at local midnight in its own day (window is [since, until))', () => {
    const w = window('daily', '2026-03-09T06:30');
    const midnight = makeItem({ title: 'midnight', published: '2026-03-08T00:00:00-05:00' });
    const lastMinute = makeItem({ title: 'last minute', published: '2026-03-08T23:59:00-04:00' });
    expect(selectItems([midnight, lastMinute], w).map((i) => i.title)).toEqual(['last minute', 'midnight']);
  });

  it('covers the previous complete day even when built late in the evening', () => {
    expect(window('daily', '2026-11-24T23:59').baseId).toBe('2026-11-23');
    expect(window('daily', '2026-11-24T00:00').baseId).toBe('2026-11-23');
  });
});

describe('weekly windows are ISO weeks', () => {
  it('spans the fall-back week as 7 calendar days (169 hours), Monday to Monday', () => {
    // 2026-11-01 is a Sunday: the ISO week 2026-W44 runs Mon Oct 26 .. Sun Nov 1.
    const w = window('weekly', '2026-11-04T09:00');
    expect(w.baseId).toBe('2026-W44');
    expect(w.since.toISO()).toBe('2026-10-26T00:00:00.000-04:00');
    expect(w.until.toISO()).toBe('2026-11-02T00:00:00.000-05:00');
    expect(w.until.diff(w.since, 'hours').hours).toBe(169);
  });

  it('spans the spring-forward week as 167 hours', () => {
    const w = window('weekly', '2026-03-10T09:00');
    expect(w.baseId).toBe('2026-W10');
    expect(w.since.toISO()).toBe('2026-03-02T00:00:00.000-05:00');
    expect(w.until.diff(w.since, 'hours').hours).toBe(167);
  });

  it('uses the ISO week-year around New Year', () => {
    // Mon 2026-12-28 .. Sun 2027-01-03 is 2026-W53.
    expect(window('weekly', '2027-01-05T09:00').baseId).toBe('2026-W53');
    // Mon 2027-01-04 .. is 2027-W01.
    expect(window('weekly', '2027-01-12T09:00').baseId).toBe('2027-W01');
  });
});
