import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { freshCheckout, query } from './build-postgres-helpers.ts';
import { broadsheet, epochOf } from './publication.ts';

// Two CI runners building one publication at once: the database's build lock makes the second
// wait for the first, so no story gets two ids and no edition is recorded twice.

const NOW = epochOf('2026-11-24T20:00:00Z');

describe.skipIf(!postgresAvailable())('two builds against one database at once', () => {
  it('neither corrupts nor duplicates: one edition, one id per story, the same site from both', async () => {
    const url = await freshDatabase('build-concurrent');
    const env = { BROADSHEET_DATABASE_URL: url };
    const [c, d] = [freshCheckout('bs-pg-build-c-'), freshCheckout('bs-pg-build-d-')];
    const results = await Promise.all([
      broadsheet(['build'], c, NOW, env),
      broadsheet(['build'], d, NOW, env),
    ]);
    for (const result of results) expect(result.status, result.stderr).toBe(0);

    const said = results.map((result) => result.stderr).join('\n');
    expect(said.match(/newsletter: edition 2026-11-24: 7 stories/g)).toHaveLength(1);
    expect(await query(url, 'SELECT id FROM editions')).toEqual([{ id: '2026-11-24' }]);
    const counts = await query(
      url,
      `SELECT (SELECT count(*)::int FROM item_identities) AS stories,
              (SELECT count(DISTINCT slug)::int FROM item_identities) AS slugs,
              (SELECT count(*)::int FROM edition_items) AS carried`,
    );
    expect(counts).toEqual([{ stories: 27, slugs: 27, carried: 7 }]);
    for (const file of ['feed.json', 'atom.xml', 'newsletter/2026-11-24/email.html'])
      expect(readFileSync(join(d, 'out', file), 'utf8'), file).toBe(
        readFileSync(join(c, 'out', file), 'utf8'),
      );
  });

  it('a build that finds the lock taken says so and waits, then builds on what the first wrote', async () => {
    const url = await freshDatabase('build-waits');
    // The test holds the build lock, as a build on another machine would.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await broadsheet(['build', '--no-newsletter'], freshCheckout('bs-pg-wait-first-'), NOW, {
        BROADSHEET_DATABASE_URL: url,
      });
      await holder.query('SELECT pg_advisory_lock(2126023)');
      const dir = freshCheckout('bs-pg-wait-');
      const child = spawn(process.execPath, [resolve(import.meta.dirname, '../../src/cli/bin.js'), 'build'], {
        cwd: dir,
        env: { ...process.env, SOURCE_DATE_EPOCH: String(NOW), BROADSHEET_DATABASE_URL: url, SMTP_URL: '' },
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const exited = new Promise<number | null>((done) => child.on('exit', done));
      while (!stderr.includes('waiting for it to finish') && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      expect(stderr).toContain('another build of this publication holds the lock in PostgreSQL');
      // Waiting, it has read nothing: no edition was recorded while the lock was held.
      expect(await query(url, 'SELECT id FROM editions')).toEqual([]);
      await holder.query('SELECT pg_advisory_unlock(2126023)');
      expect(await exited, stderr).toBe(0);
      expect(stderr).toContain('state: 27 stories and 0 editions from PostgreSQL');
      expect(await query(url, 'SELECT id FROM editions')).toEqual([{ id: '2026-11-24' }]);
    } finally {
      await holder.end();
    }
  });
});
