import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { type BuildMemo, createBuildMemo } from '../../src/cli/build/memo.ts';
import { runBuild } from '../../src/cli/commands/build.ts';
import { createContext } from '../../src/cli/context.ts';
import { openState } from '../../src/state/db.ts';
import { readTree } from './build-site-helpers.ts';

/**
 * A warm rebuild (`serve`, and any process that builds again with the memos of its last build)
 * must write exactly what a fresh `broadsheet build` writes, after any change: the memos may
 * only save work. Two copies of the sample project go through the same changes, one built
 * with a memo kept across every build, the other built cold each time.
 */
const repo = resolve(import.meta.dirname, '../..');
const projects: string[] = [];
afterEach(() => {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bs-warm-'));
  projects.push(dir);
  cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
  writeConfig(dir, 'The Harbor City Ledger', []);
  return dir;
}

function writeConfig(dir: string, title: string, topics: { name: string; keywords: string[] }[]): void {
  writeFileSync(
    join(dir, 'broadsheet.config.json'),
    JSON.stringify({
      site: { title, baseUrl: 'https://news.example.com/', timeZone: 'America/New_York' },
      feeds: { topics },
      paths: { templates: join(repo, 'templates') },
    }),
  );
}

async function build(dir: string, epoch: number, memo?: BuildMemo): Promise<number> {
  const ctx = createContext({ config: join(dir, 'broadsheet.config.json'), quiet: true });
  const now = DateTime.fromSeconds(epoch).setZone(ctx.loaded.config.site.timeZone);
  return runBuild({ ...ctx, now }, { newsletter: true }, memo);
}

function identities(dir: string): unknown[] {
  const db = openState(join(dir, '.broadsheet', 'state.db'));
  try {
    return db.prepare('SELECT * FROM item_identities ORDER BY id').all();
  } finally {
    db.close();
  }
}

const rewrite = (dir: string, file: string, change: (text: string) => string) => {
  const path = join(dir, 'articles', file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
};

const changes: { name: string; apply: (dir: string) => void }[] = [
  { name: 'nothing', apply: () => {} },
  {
    name: 'a file touched, bytes the same',
    apply: (dir) => utimesSync(join(dir, 'articles', '2026-10-08-river-otters-return.txt'), 1e9, 1e9),
  },
  {
    name: 'one paragraph edited',
    apply: (dir) =>
      rewrite(dir, '2026-10-03-tram-extension-vote.txt', (t) =>
        t.replace('in January.', 'in January, a spokesperson said.'),
      ),
  },
  {
    name: 'a story re-headlined',
    apply: (dir) =>
      rewrite(dir, '2026-10-03-tram-extension-vote.txt', (t) =>
        t.replace('Transit Board Backs Tram Extension', 'Tram Extension Wins Board Vote'),
      ),
  },
  {
    name: 'a story copied into a second file (a cross-file duplicate)',
    apply: (dir) =>
      cpSync(
        join(dir, 'articles', '2026-10-08-river-otters-return.txt'),
        join(dir, 'articles', 'zz-otters-copy.txt'),
      ),
  },
  { name: 'the copy deleted', apply: (dir) => rmSync(join(dir, 'articles', 'zz-otters-copy.txt')) },
  {
    name: 'a Markdown story retagged',
    apply: (dir) =>
      rewrite(dir, '2026-10-06-heat-pump-rebates.md', (t) => t.replace('[climate,', '[energy,')),
  },
  {
    name: 'topics and the site title changed in the config',
    apply: (dir) => writeConfig(dir, 'The Ledger', [{ name: 'Transit', keywords: ['tram', 'ferry'] }]),
  },
  {
    name: 'a story file deleted',
    apply: (dir) => rmSync(join(dir, 'articles', '2026-10-15-reservoir-low.txt')),
  },
  {
    name: 'a file that cannot be parsed added',
    apply: (dir) => writeFileSync(join(dir, 'articles', 'scan.txt'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0])),
  },
];

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
