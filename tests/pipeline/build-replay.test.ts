import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/cli/context.ts';
import { type BuildReport, runPipeline } from '../../src/pipeline/run.ts';
import { openState } from '../../src/state/db.ts';
import { addSubscriber } from '../../src/state/subscribers.ts';
import { changes, project } from './build-changes.ts';
import { readTree } from './build-site-helpers.ts';

// A one-shot build whose inputs, state, out/, code, options and newsletter window equal those of
// a build that changed nothing is replayed from that build's record (src/pipeline/unchanged.ts).
// Each test checks that a replay happens only then, and that out/ is what a full build makes.

const EPOCH = 1795550400;
const RECORD = join('.broadsheet', 'cache.db.last-build.json');

async function build(dir: string, epoch = EPOCH, period?: 'daily' | 'since-last'): Promise<BuildReport> {
  const ctx = createContext({ config: join(dir, 'broadsheet.config.json'), quiet: true });
  const now = DateTime.fromSeconds(epoch).setZone(ctx.loaded.config.site.timeZone);
  return runPipeline({ ...ctx, now }, { newsletter: true, ...(period ? { period } : {}) });
}

/** A story dated 2026-11-24 17:00 New York time, two hours after EPOCH. */
const AHEAD = `---
title: Ferry Timetable Changes for Winter
date: 2026-11-24T17:00:00-05:00
authors: [Ines Carvalho]
---

The winter timetable starts on Monday, with fewer crossings after nine in the evening.
`;

const out = (dir: string) => readTree(join(dir, 'out'));
const withoutTimes = ({ seconds: _s, replayed: _r, ...rest }: BuildReport) => rest;

/**
 * A project built until a build changed nothing (the first builds store identities and an
 * edition) and the next one replayed it, with the same report and the same out/.
 */
async function settled(period?: 'daily' | 'since-last'): Promise<string> {
  const dir = project();
  let last = await build(dir, EPOCH, period);
  for (let builds = 1; builds < 5 && !last.replayed; builds++) {
    const tree = out(dir);
    const next = await build(dir, EPOCH, period);
    if (next.replayed) {
      expect(withoutTimes(next)).toEqual(JSON.parse(JSON.stringify(withoutTimes(last))));
      expect(out(dir)).toEqual(tree);
    }
    last = next;
  }
  expect(last.replayed).toBe(true);
  return dir;
}

describe('a build with nothing changed', () => {
  it('is replayed from the last build that changed nothing: same report, same out/, same live build', async () => {
    const dir = await settled();
    const live = statSync(join(dir, 'out', 'index.html')).ino;
    const before = out(dir);
    const replayed = await build(dir);
    expect(replayed.replayed).toBe(true);
    expect(out(dir)).toEqual(before);
    expect(statSync(join(dir, 'out', 'index.html')).ino).toBe(live);
  });

  for (const change of changes.filter((c) => c.name !== 'nothing' && c.name !== 'the copy deleted')) {
    it(`is built, not replayed, after a change (${change.name}), with the bytes a build without the record writes`, async () => {
      const dir = await settled();
      // Built once, at the same time (the same ids and dates), then changed and built again
      // with no record to replay.
      const control = project();
      await build(control);
      change.apply(dir);
      change.apply(control);
      rmSync(join(control, RECORD), { force: true });
      const report = await build(dir);
      await build(control);
      expect(report.replayed).toBe(false);
      expect(out(dir)).toEqual(out(control));
    });
  }

  it('is built when a file is rewritten with as many bytes and its times put back (one clock tick)', async () => {
    const dir = await settled();
    const path = join(dir, 'articles', '2026-10-03-tram-extension-vote.txt');
    const { atime, mtime } = statSync(path);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('Transit Board', 'Transit Panel'));
    utimesSync(path, atime, mtime);
    expect(statSync(path).size).toBe(Buffer.byteLength(text));
    const report = await build(dir);
    expect(report.replayed).toBe(false);
    expect([...out(dir).values()].some((bytes) => bytes.includes('Transit Panel'))).toBe(true);
  });

  it('is built when a published file was edited by hand, which the build repairs', async () => {
    const dir = await settled();
    const page = join(dir, 'out', 'index.html');
    const before = readFileSync(page);
    writeFileSync(page, 'defaced');
    const report = await build(dir);
    expect(report.replayed).toBe(false);
    expect(readFileSync(page)).toEqual(before);
  });

  it('is built when the state changed (a subscriber added)', async () => {
    const dir = await settled();
    const db = openState(join(dir, '.broadsheet', 'state.db'));
    addSubscriber(db, { email: 'reader@example.com' }, '2026-11-24T15:00:00Z');
    db.close();
    expect((await build(dir)).replayed).toBe(false);
  });

  it('is replayed at a later instant with a since-last edition while its window reaches no new story', async () => {
    const dir = await settled('since-last');
    const before = out(dir);
    const later = await build(dir, EPOCH + 6 * 3600, 'since-last');
    expect(later.replayed).toBe(true);
    expect(later.edition).toBeNull();
    expect(out(dir)).toEqual(before);
  });

  it('is built once the since-last window reaches a story dated after the last build, with the bytes a build without the record writes', async () => {
    const dir = await settled('since-last');
    const control = project();
    await build(control, EPOCH, 'since-last');
    await build(control, EPOCH, 'since-last');
    // Dated two hours after EPOCH (America/New_York, 20:00 UTC is 15:00 there).
    for (const at of [dir, control]) writeFileSync(join(at, 'articles', 'ferry-timetable.md'), AHEAD);
    // Read now, dated ahead: no edition yet, and the record holds until the story's date.
    const early = await build(dir, EPOCH + 60, 'since-last');
    expect(early.replayed).toBe(false);
    expect(early.edition).toBeNull();
    expect(early.newsletter).toContain('after the window');
    await build(control, EPOCH + 60, 'since-last');
    // The first build after the change records; a later one, still before the story's date, replays.
    let replayedAt: number | null = null;
    for (let at = EPOCH + 600; at < EPOCH + 7200 && replayedAt === null; at += 600)
      if ((await build(dir, at, 'since-last')).replayed) replayedAt = at;
    expect(replayedAt).not.toBeNull();
    // Past its date: the edition is due, whatever the record says.
    rmSync(join(control, RECORD), { force: true });
    const due = await build(dir, EPOCH + 3 * 3600, 'since-last');
    const fresh = await build(control, EPOCH + 3 * 3600, 'since-last');
    expect(due.replayed).toBe(false);
    expect(due.edition?.lead.title).toBe('Ferry Timetable Changes for Winter');
    expect(withoutTimes(due)).toEqual(withoutTimes(fresh));
    expect(out(dir)).toEqual(out(control));
  });

  it('is replayed at any instant without a newsletter step (--no-newsletter)', async () => {
    const dir = project();
    const ctx = createContext({ config: join(dir, 'broadsheet.config.json'), quiet: true });
    const at = (epoch: number) => ({ ...ctx, now: DateTime.fromSeconds(epoch).setZone('America/New_York') });
    // Built until a build changes nothing (it records), all at one instant.
    for (let builds = 0; builds < 5; builds++)
      if ((await runPipeline(at(EPOCH), { newsletter: false })).replayed) break;
    expect((await runPipeline(at(EPOCH + 3600), { newsletter: false })).replayed).toBe(true);
  });

  it('is replayed later the same day with a daily edition, and built the next day', async () => {
    const dir = await settled('daily');
    expect((await build(dir, EPOCH + 60, 'daily')).replayed).toBe(true);
    expect((await build(dir, EPOCH + 86_400, 'daily')).replayed).toBe(false);
  });
});
