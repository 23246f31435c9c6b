import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILD_LOCK } from '../../src/state/store/build-sync.ts';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/temp.ts';
import { freshCheckout } from './build-postgres-helpers.ts';
import { broadsheet, epochOf } from './publication.ts';

// A build against PostgreSQL runs on a SQLite copy of the state in the temp folder (~3 KB a
// story). A build that dies without running its own clean-up (SIGKILL, the kernel's
// out-of-memory killer) must not leave that copy there for good, nor may a later build delete
// the copy of one still running; Ctrl-C and a timeout's SIGTERM delete it on the way out.

const NOW = epochOf('2026-11-24T20:00:00Z');
const BIN = resolve(import.meta.dirname, '../../src/cli/bin.js');
const HOST = hostname().replace(/[^A-Za-z0-9.]/g, '_');

/** A client holding the publication's build lock, so a build started now waits with its copy made. */
async function holdBuildLock(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [BUILD_LOCK]);
  return client;
}

const holders: pg.Client[] = [];
afterAll(async () => {
  await Promise.all(holders.splice(0).map((client) => client.end().catch(() => {})));
});

/** A build started with its own temp folder; resolves once it says it waits for the lock. */
function waitingBuild(dir: string, url: string, tmp: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'build'], {
    cwd: dir,
    env: {
      ...process.env,
      SOURCE_DATE_EPOCH: String(NOW),
      BROADSHEET_DATABASE_URL: url,
      SMTP_URL: '',
      TMPDIR: tmp,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((done, fail) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('holds the lock')) done(child);
    });
    child.on('exit', (code) => fail(new Error(`the build exited (${code}) before waiting: ${stderr}`)));
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null)
      done({ code: child.exitCode, signal: child.signalCode });
    else child.on('exit', (code, signal) => done({ code, signal }));
  });
}

const copiesIn = (tmp: string) => readdirSync(tmp).filter((name) => name.startsWith('broadsheet-build-'));

describe.skipIf(!postgresAvailable())('the working copy of a build against PostgreSQL', () => {
  it('a killed build leaves its copy; the next build on the machine removes it, never a live copy', async () => {
    const url = await freshDatabase('working-copy-kill');
    const tmp = tempDir('bs-pg-tmp-');
    const holder = await holdBuildLock(url);
    holders.push(holder);
    const killed = await waitingBuild(freshCheckout('bs-pg-copy-killed-'), url, tmp);
    const [copy] = copiesIn(tmp);
    expect(copy, 'the waiting build made its copy').toMatch(
      new RegExp(`^broadsheet-build-${HOST}-${killed.pid}-`),
    );
    killed.kill('SIGKILL');
    expect((await exitOf(killed)).signal).toBe('SIGKILL');
    expect(copiesIn(tmp), 'nothing ran to delete it').toEqual([copy]);
    await holder.end();

    // Beside it: a copy whose process runs (this test's), and one of another machine sharing the
    // temp folder, whose process ids say nothing here.
    // And two copies named as versions before 2026-12-05 named them (no machine, no process): one
    // untouched for two days (removed), one written just now, whose build may still run (kept).
    const live = `broadsheet-build-${HOST}-${process.pid}-AbC123`;
    const otherHost = `broadsheet-build-elsewhere.example-${killed.pid}-XyZ789`;
    const oldStale = 'broadsheet-build-Old123';
    const oldFresh = 'broadsheet-build-New456';
    for (const name of [live, otherHost, oldStale, oldFresh]) {
      mkdirSync(join(tmp, name));
      writeFileSync(join(tmp, name, 'state.db'), '');
    }
    // By the file system's clock, which dates the copies (the process clock may be moved by faketime).
    const twoDaysAgo = new Date(statSync(join(tmp, oldFresh)).mtimeMs - 2 * 24 * 60 * 60 * 1000);
    for (const path of [join(tmp, oldStale, 'state.db'), join(tmp, oldStale)])
      utimesSync(path, twoDaysAgo, twoDaysAgo);
    const next = await broadsheet(['build'], freshCheckout('bs-pg-copy-next-'), NOW, {
      BROADSHEET_DATABASE_URL: url,
      TMPDIR: tmp,
    });
    expect(next.status, next.stderr).toBe(0);
    expect(next.stderr).toContain('state: removed 2 working copies left by killed builds');
    expect(
      copiesIn(tmp).sort(),
      'the killed copy, the stale old one and the next build’s own are gone',
    ).toEqual([live, otherHost, oldFresh].sort());
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s while the build waits deletes its copy before it dies',
    async (signal) => {
      const url = await freshDatabase(`working-copy-${signal.toLowerCase()}`);
      const tmp = tempDir('bs-pg-tmp-');
      const holder = await holdBuildLock(url);
      holders.push(holder);
      const build = await waitingBuild(freshCheckout('bs-pg-copy-signal-'), url, tmp);
      const [copy] = copiesIn(tmp);
      expect(copy && existsSync(join(tmp, copy))).toBe(true);
      build.kill(signal);
      expect(await exitOf(build), 'the signal still ends it').toEqual({ code: null, signal });
      expect(copiesIn(tmp)).toEqual([]);
      await holder.end();
    },
  );
});
