import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { editionWindow, FIRST_EDITION_DAYS, selectItems } from '../../src/newsletter/index.ts';
import { makeItem } from './helpers.ts';

const zone = 'America/New_York';
const now = DateTime.fromISO('2026-11-24T08:00', { zone });

function windowFor(request: {
  period?: 'since-last' | 'daily' | 'weekly';
  since?: string;
  previousUntil?: string | null;
}) {
  return editionWindow({
    period: request.period ?? 'since-last',
    ...(request.since !== undefined ? { since: request.since } : {}),
    now,
    timeZone: zone,
    previousUntil: request.previousUntil ?? null,
  });
}

describe('since-last and --since windows', () => {
  it('starts where the previous edition ended and ends just after now', () => {
    const result = windowFor({ previousUntil: '2026-11-23T08:00:00.000-05:00' });
    expect(result.ok && result.window.since.toISO()).toBe('2026-11-23T08:00:00.000-05:00');
    expect(result.ok && result.window.until.toISO()).toBe(now.plus({ milliseconds: 1 }).toISO());
    expect(result.ok && result.window.baseId).toBe('2026-11-24');
  });

  it('puts a story first seen by this build (stamped now) in this edition, and not again in the next', () => {
    const stampedNow = makeItem({ title: 'Undated, first seen now', published: now.toISO() ?? '' });
    const first = windowFor({ previousUntil: '2026-11-23T08:00:00.000-05:00' });
    if (!first.ok) throw new Error(first.message);
    expect(selectItems([stampedNow], first.window).map((i) => i.title)).toEqual(['Undated, first seen now']);
    const next = editionWindow({
      period: 'since-last',
      now: now.plus({ hours: 1 }),
      timeZone: zone,
      previousUntil: first.window.until.toISO(),
    });
    if (!next.ok) throw new Error(next.message);
    expect(selectItems([stampedNow], next.window)).toEqual([]);
  });

  it(`reaches back ${FIRST_EDITION_DAYS} days for the first edition ever`, () => {
    const result = windowFor({ previousUntil: null });
    expect(result.ok && result.window.since.toISO()).toBe('2026-11-17T08:00:00.000-05:00');
  });

  it('reads a date-only --since as local midnight in the publication zone', () => {
    const result = windowFor({ since: '2026-11-20' });
    expect(result.ok && result.window.since.toISO()).toBe('2026-11-20T00:00:00.000-05:00');
    expect(result.ok && result.window.period).toBe('since');
  });

  it('honours an explicit offset in --since', () => {
    const result = windowFor({ since: '2026-11-20T12:00:00Z' });
    expect(result.ok && result.window.since.toUTC().toISO()).toBe('2026-11-20T12:00:00.000Z');
  });

  it('refuses an unreadable or future --since with a message naming it', () => {
    const bad = windowFor({ since: 'last tuesday' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toContain('"last tuesday"');
    expect(windowFor({ since: '2027-01-01' }).ok).toBe(false);
  });

  it('selects nothing from an empty window', () => {
    const result = windowFor({ previousUntil: '2026-11-24T08:00:00.000-05:00' });
    if (!result.ok) throw new Error(result.message);
    const older = makeItem({ published: '2026-11-24T07:59:59-05:00' });
    expect(selectItems([older], result.window)).toEqual([]);
    expect(selectItems([], result.window)).toEqual([]);
  });

  it('sorts newest first and breaks ties by title so the order never depends on input order', () => {
    const result = windowFor({});
    if (!result.ok) throw new Error(result.message);
    const a = makeItem({ title: 'Alpha', published: '2026-11-23T10:00:00-05:00' });
    const b = makeItem({ title: 'Beta', published: '2026-11-23T10:00:00-05:00' });
    const c = makeItem({ title: 'Gamma', published: '2026-11-23T11:00:00-05:00' });
    expect(selectItems([a, b, c], result.window).map((i) => i.title)).toEqual(['Gamma', 'Alpha', 'Beta']);
    expect(selectItems([c, b, a], result.window).map((i) => i.title)).toEqual(['Gamma', 'Alpha', 'Beta']);
  });
});
