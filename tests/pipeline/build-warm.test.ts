import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/cli/context.ts';
import { stateSnapshots } from '../../src/cli/serve/snapshot.ts';
import { type BuildMemo, createBuildMemo } from '../../src/pipeline/memo.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { openState } from '../../src/state/db.ts';
import { build, changes, identities, project, repo, rewrite, writeConfig } from './build-changes.ts';
import { readTree } from './build-site-helpers.ts';

/**
 * A warm rebuild (`serve`, and any process that builds again with the memos of its last build)
 * must write exactly what a fresh `broadsheet build` writes, after any change: the memos may
 * only save work. Two copies of the sample project go through the same changes, one built
 * with a memo kept across every build, the other built cold each time.
 */
describe('a warm rebuild', () => {
  it('writes the bytes and records the identities a cold build does, change after change', async () => {
    const warm = project();
    const cold = project();
    const memo = createBuildMemo();
    let epoch = 1_793_000_000; // 2026-10-26
    expect(await build(warm, epoch, memo)).toBe(await build(cold, epoch));
    for (const change of changes) {
      epoch += 3 * 3600; // later each time: new editions, new first-seen dates
      change.apply(warm);
      change.apply(cold);
      const [warmCode, coldCode] = [await build(warm, epoch, memo), await build(cold, epoch)];
      expect(warmCode, change.name).toBe(coldCode);
      expect(readTree(join(warm, 'out')), change.name).toEqual(readTree(join(cold, 'out')));
      expect(identities(warm), change.name).toEqual(identities(cold));
    }
  });
});

describe('a warm rebuild as serve runs it (on a snapshot rolled back after each build)', () => {
  it('compiles the same edition once, and again whenever anything it shows or is made from changes', async () => {
    const warm = project();
    const cold = project();
    for (const dir of [warm, cold]) {
      cpSync(join(repo, 'templates'), join(dir, 'templates'), { recursive: true });
      writeConfig(dir, 'The Harbor City Ledger', [], 'templates');
    }
    const epoch = 1_793_000_000;
    // A real build first, so the state exists; serve then previews on snapshots of it.
    await build(warm, epoch - 86_400 * 30);
    await build(cold, epoch - 86_400 * 30);
    const memo = createBuildMemo();
    const snapshotOf = (dir: string) => {
      const real = openState(join(dir, '.broadsheet', 'state.db'));
      return { real, open: stateSnapshots(real, join(dir, 'snapshot.db')) };
    };
    const w = snapshotOf(warm);
    const c = snapshotOf(cold);
    try {
      const steps: { name: string; apply: (dir: string) => void }[] = [
        { name: 'first preview', apply: () => {} },
        { name: 'nothing changed (the edition is reused)', apply: () => {} },
        {
          name: 'a story in the edition edited',
          apply: (dir) =>
            rewrite(dir, '2026-10-20-museum-lantern-exhibition.txt', (t) =>
              t.replace('Maritime Museum Lights Up', 'Maritime Museum Glows'),
            ),
        },
        {
          name: 'a template edited',
          apply: (dir) => {
            const path = join(dir, 'templates', 'email', 'footer.mjml');
            writeFileSync(
              path,
              readFileSync(path, 'utf8').replace('</mj-text>', ' Thanks for reading.</mj-text>'),
            );
          },
        },
        {
          name: 'the site retitled',
          apply: (dir) => writeConfig(dir, 'The Ledger', [], 'templates'),
        },
      ];
      for (const step of steps) {
        step.apply(warm);
        step.apply(cold);
        await build(warm, epoch, memo, w.open);
        await build(cold, epoch, undefined, c.open);
        expect(readTree(join(warm, 'out')), step.name).toEqual(readTree(join(cold, 'out')));
      }
      expect(memo.edition.compiled, 'an edition was compiled and remembered').not.toBeNull();
    } finally {
      w.real.close();
      c.real.close();
    }
  });
});

describe('a warm rebuild’s log', () => {
  it('names each merge once per session, not on every save', async () => {
    const dir = project();
    const memo = createBuildMemo();
    const logged = async (withMemo?: BuildMemo) => {
      const lines: string[] = [];
      const ctx = createContext({ config: join(dir, 'broadsheet.config.json'), quiet: true });
      const now = DateTime.fromSeconds(1_793_000_000).setZone(ctx.loaded.config.site.timeZone);
      await runPipeline({ ...ctx, now, log: (line) => lines.push(line) }, { newsletter: true }, withMemo);
      return lines.filter((line) => line.startsWith('merged: '));
    };
    const first = await logged(memo);
    expect(first.length).toBeGreaterThan(0);
    expect(await logged(memo)).toEqual([]);
    // A build without the session's memo (a new `broadsheet build`) names them all again.
    expect(await logged()).toEqual(first);
  });
});
