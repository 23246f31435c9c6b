import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { rng } from '../helpers/rng.ts';
import { freshCheckout, query } from './build-postgres-helpers.ts';
import { broadsheet, epochOf } from './publication.ts';

// A build killed with SIGKILL at any moment (pulling, building, writing back, publishing) must
// leave the database so that the next build, on another runner, assigns exactly the ids, dates
// and editions a build that was never killed assigns.

const NOW = epochOf('2026-11-24T20:00:00Z');
const BIN = resolve(import.meta.dirname, '../../src/cli/bin.js');
const COMPARED = [
  'feed.json',
  'atom.xml',
  'rss.xml',
  'newsletter/2026-11-24/email.html',
  'newsletter/feed.xml',
];

/** Starts a build and kills it after `ms`: whether it was still running then. */
function killedBuild(dir: string, url: string, ms: number): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'build', '--quiet'], {
      cwd: dir,
      env: { ...process.env, SOURCE_DATE_EPOCH: String(NOW), BROADSHEET_DATABASE_URL: url, SMTP_URL: '' },
      stdio: 'ignore',
    });
    let exited = false;
    child.on('exit', (code, signal) => {
      exited = true;
      done(signal === 'SIGKILL' || code === null);
    });
    setTimeout(() => {
      if (!exited) child.kill('SIGKILL');
    }, ms);
  });
}

const stateOf = (url: string) =>
  query(
    url,
    `SELECT (SELECT string_agg(id || ' ' || slug || ' ' || first_seen || ' ' || content_hash, ',' ORDER BY id) FROM item_identities) AS stories,
            (SELECT string_agg(id || ' ' || story_count, ',' ORDER BY seq) FROM editions) AS editions,
            (SELECT count(*)::int FROM edition_items) AS carried`,
  );

describe.skipIf(!postgresAvailable())('a build killed with SIGKILL against PostgreSQL', () => {
  it('leaves the next build identical to a clean run, wherever the kill lands', async () => {
    const cleanUrl = await freshDatabase('build-kill-clean');
    const clean = freshCheckout('bs-pg-kill-clean-');
    const started = performance.now();
    const cleanRun = await broadsheet(['build'], clean, NOW, { BROADSHEET_DATABASE_URL: cleanUrl });
    expect(cleanRun.status, cleanRun.stderr).toBe(0);
    // Kill moments are drawn across a whole build's length (not asserted: only where kills land).
    const full = performance.now() - started;
    const random = rng(21);
    const rounds = [0.15, 0.35, 0.55, 0.75, 0.95].map((at) => Math.round(full * (at + random() * 0.1)));
    let killedRunning = 0;
    for (const [n, ms] of rounds.entries()) {
      const url = await freshDatabase(`build-kill-${n}`);
      if (await killedBuild(freshCheckout('bs-pg-killed-'), url, ms)) killedRunning++;
      const next = freshCheckout('bs-pg-after-kill-');
      const after = await broadsheet(['build'], next, NOW, { BROADSHEET_DATABASE_URL: url });
      expect(after.status, `round ${n + 1}: ${after.stderr}`).toBe(0);
      expect(await stateOf(url), `round ${n + 1}`).toEqual(await stateOf(cleanUrl));
      for (const file of COMPARED)
        expect(readFileSync(join(next, 'out', file), 'utf8'), `round ${n + 1}: ${file}`).toBe(
          readFileSync(join(clean, 'out', file), 'utf8'),
        );
    }
    expect(killedRunning, 'at least one kill hit a running build').toBeGreaterThan(0);
  });

  it('a build that dies after writing back but before publishing: the next build publishes those ids', async () => {
    const cleanUrl = await freshDatabase('build-late-clean');
    const clean = freshCheckout('bs-pg-late-clean-');
    expect((await broadsheet(['build'], clean, NOW, { BROADSHEET_DATABASE_URL: cleanUrl })).status).toBe(0);

    // out/ cannot be published (a file stands in its place): the build fails after its write-back.
    const url = await freshDatabase('build-late');
    const broken = freshCheckout('bs-pg-late-broken-');
    writeFileSync(join(broken, 'out'), 'not a folder\n');
    const failed = await broadsheet(['build'], broken, NOW, { BROADSHEET_DATABASE_URL: url });
    expect(failed.status).toBe(3);
    expect(failed.stderr).toContain('state: wrote 27 new or changed stories and 1 edition to PostgreSQL');
    expect(failed.stderr).toContain('is a file, not the output folder');
    expect(await stateOf(url)).toEqual(await stateOf(cleanUrl));

    const next = freshCheckout('bs-pg-late-next-');
    expect((await broadsheet(['build'], next, NOW, { BROADSHEET_DATABASE_URL: url })).status).toBe(0);
    for (const file of COMPARED)
      expect(readFileSync(join(next, 'out', file), 'utf8'), file).toBe(
        readFileSync(join(clean, 'out', file), 'utf8'),
      );
  });
});
