import { cpSync, existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll } from 'vitest';
import { createContext } from '../../src/cli/context.ts';
import type { BuildMemo } from '../../src/pipeline/memo.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { openState, type StateDb } from '../../src/state/db.ts';
import { tempDir } from '../helpers/temp.ts';

/**
 * Copies of the sample project taken through a list of changes, for tests that compare two ways
 * of building (warm and cold, text paged and in memory): each must write the same bytes.
 */
export const repo = resolve(import.meta.dirname, '../..');
const projects: string[] = [];
afterAll(() => {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A copy of the sample project; `ingest` and `build` go into its config and stay through
 * config changes.
 */
export function project(ingest?: Record<string, unknown>, build?: Record<string, unknown>): string {
  const dir = tempDir('bs-warm-');
  projects.push(dir);
  cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
  const kept = { ...(ingest ? { ingest } : {}), ...(build ? { build } : {}) };
  if (ingest || build) writeFileSync(join(dir, 'kept-config.json'), JSON.stringify(kept));
  writeConfig(dir, 'The Harbor City Ledger', []);
  return dir;
}

export function writeConfig(
  dir: string,
  title: string,
  topics: { name: string; keywords: string[] }[],
  templates = join(repo, 'templates'),
): void {
  writeFileSync(
    join(dir, 'broadsheet.config.json'),
    JSON.stringify({
      site: { title, baseUrl: 'https://news.example.com/', timeZone: 'America/New_York' },
      feeds: { topics },
      paths: { templates },
      ...keptConfig(dir),
    }),
  );
}

/** One build of `dir` at `epoch` through the pipeline; the number of errors it reported. */
export async function build(
  dir: string,
  epoch: number,
  memo?: BuildMemo,
  openState?: () => StateDb,
): Promise<number> {
  const ctx = createContext({ config: join(dir, 'broadsheet.config.json'), quiet: true });
  const now = DateTime.fromSeconds(epoch).setZone(ctx.loaded.config.site.timeZone);
  const report = await runPipeline(
    { ...ctx, now, ...(openState ? { openState } : {}) },
    { newsletter: true },
    memo,
  );
  return report.errors;
}

export function identities(dir: string): unknown[] {
  const db = openState(join(dir, '.broadsheet', 'state.db'));
  try {
    return db.prepare('SELECT * FROM item_identities ORDER BY id').all();
  } finally {
    db.close();
  }
}

export const rewrite = (dir: string, file: string, change: (text: string) => string) => {
  const path = join(dir, 'articles', file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
};

/** Each kind of change a newsroom makes between builds. */
export const changes: { name: string; apply: (dir: string) => void }[] = [
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

/** The config sections `project` was given. */
function keptConfig(dir: string): Record<string, unknown> {
  const path = join(dir, 'kept-config.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
}
