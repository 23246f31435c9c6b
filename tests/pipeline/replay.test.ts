import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/cli/context.ts';
import { type ReplayRequest, replayUnchangedBuild } from '../../src/pipeline/replay.ts';
import { type BuildReport, runPipeline } from '../../src/pipeline/run.ts';
import { acquireLock } from '../../src/state/lock.ts';
import { MODULE_TRACE, resolvedUrls } from '../helpers/module-trace.ts';
import { tempDir } from '../helpers/temp.ts';
import { changes, project, repo } from './build-changes.ts';
import { readTree } from './build-site-helpers.ts';

// `broadsheet build` asks replay.ts first, before the pipeline and the config schema are loaded:
// it must replay exactly when the pipeline's own check would (build-replay.test.ts), give the
// same report, and otherwise step aside so the build runs and reports as it always has.

const EPOCH = 1795550400;
const config = (dir: string) => join(dir, 'broadsheet.config.json');
const request = (dir: string, env: NodeJS.ProcessEnv = {}): ReplayRequest => ({
  configFile: config(dir),
  cwd: dir,
  env: { SOURCE_DATE_EPOCH: String(EPOCH), ...env },
  options: { newsletter: true },
});

async function build(dir: string): Promise<BuildReport> {
  const ctx = createContext({ config: config(dir), quiet: true });
  const now = DateTime.fromSeconds(EPOCH).setZone(ctx.loaded.config.site.timeZone);
  return runPipeline({ ...ctx, now }, { newsletter: true });
}

/** A project built until the pipeline itself replays a build: its report. */
async function settled(): Promise<{ dir: string; report: BuildReport }> {
  const dir = project();
  for (let builds = 0; builds < 5; builds++) {
    const report = await build(dir);
    if (report.replayed) return { dir, report };
  }
  throw new Error('the sample project never settled');
}

const withoutSeconds = ({ seconds: _s, ...rest }: BuildReport) => rest;

describe('a build replayed before the pipeline loads', () => {
  it('gives the report the pipeline replays, and leaves out/ as it was', async () => {
    const { dir, report } = await settled();
    const before = readTree(join(dir, 'out'));
    const replayed = replayUnchangedBuild(request(dir));
    expect(replayed).not.toBeNull();
    expect(replayed?.report.replayed).toBe(true);
    expect(withoutSeconds(replayed?.report as BuildReport)).toEqual(withoutSeconds(report));
    expect(readTree(join(dir, 'out'))).toEqual(before);
  });

  for (const change of changes.filter((c) => c.name !== 'nothing' && c.name !== 'the copy deleted')) {
    it(`steps aside after a change (${change.name})`, async () => {
      const { dir } = await settled();
      change.apply(dir);
      expect(replayUnchangedBuild(request(dir))).toBeNull();
    });
  }

  it("steps aside after a hand edit in out/, and when the record's list of published files is torn", async () => {
    const { dir } = await settled();
    const record = join(dir, '.broadsheet', 'cache.db.last-build.json');
    const text = readFileSync(record, 'utf8');
    const parsed = JSON.parse(text) as { published: string };
    writeFileSync(record, JSON.stringify({ ...parsed, published: parsed.published.slice(0, -3) }));
    expect(replayUnchangedBuild(request(dir))).toBeNull();
    writeFileSync(record, text);
    expect(replayUnchangedBuild(request(dir))).not.toBeNull();
    const feed = join(dir, 'out', 'rss.xml');
    writeFileSync(feed, readFileSync(feed, 'utf8').replace('<channel>', '<channel><!-- by hand -->'));
    expect(replayUnchangedBuild(request(dir))).toBeNull();
  });

  it('steps aside when the same config is given from another folder (paths resolve elsewhere)', async () => {
    const { dir } = await settled();
    const elsewhere = tempDir('bs-replay-config-');
    cpSync(config(dir), config(elsewhere));
    expect(replayUnchangedBuild({ ...request(dir), configFile: config(elsewhere) })).toBeNull();
  });

  it('steps aside for state on PostgreSQL, a malformed SOURCE_DATE_EPOCH, or an unreadable config', async () => {
    const { dir } = await settled();
    expect(
      replayUnchangedBuild(request(dir, { BROADSHEET_DATABASE_URL: 'postgres://db.example/x' })),
    ).toBeNull();
    expect(replayUnchangedBuild(request(dir, { SOURCE_DATE_EPOCH: 'yesterday' }))).toBeNull();
    const text = readFileSync(config(dir), 'utf8');
    writeFileSync(config(dir), `${text.slice(0, -2)},}`);
    expect(replayUnchangedBuild(request(dir))).toBeNull();
  });

  it('steps aside while another build holds the lock, and replays once it is released', async () => {
    const { dir } = await settled();
    const lock = acquireLock(join(dir, '.broadsheet', 'build.lock'), 'build');
    expect(replayUnchangedBuild(request(dir))).toBeNull();
    lock.release();
    expect(replayUnchangedBuild(request(dir))).not.toBeNull();
  });

  it('is what `broadsheet build` does in a new process: the same summary, without loading the config schema or the stages', async () => {
    const { dir } = await settled();
    const run = spawnSync(
      process.execPath,
      ['--import', MODULE_TRACE, join(repo, 'src/cli/bin.js'), '--config', config(dir), 'build'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: String(EPOCH) } },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('nothing changed since the last build, which changed nothing');
    const loaded = resolvedUrls(run.stderr);
    expect(loaded.some((url) => /\/pipeline\/replay\.[jt]s$/.test(url))).toBe(true);
    expect(
      loaded.filter((url) => /\/zod\/|better-sqlite3|\/render\/|\/ingest\/|\/pipeline\/run\./.test(url)),
    ).toEqual([]);
  });
});
