import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openState } from '../../src/state/db.ts';
import { type DeliveryStore, postgresStore, sqliteStore } from '../../src/state/store/index.ts';
import { tempState } from '../deliver/helpers.ts';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Where the list lives: the SQLite state file, or PostgreSQL through BROADSHEET_DATABASE_URL. */
const BACKENDS: { name: 'sqlite' | 'postgres' }[] = [
  { name: 'sqlite' },
  ...(postgresAvailable() ? [{ name: 'postgres' as const }] : []),
];

async function folder(backend: 'sqlite' | 'postgres') {
  const url = backend === 'postgres' ? await freshDatabase('subscribers-cli') : null;
  const state = tempState();
  state.db.close();
  cleanups.push(() => state.cleanup());
  writeFileSync(
    join(state.dir, 'broadsheet.config.json'),
    JSON.stringify({
      feeds: { topics: [{ name: 'Transit' }, { name: 'Climate', slug: 'climate' }] },
      paths: { state: 'state.db' },
    }),
  );
  const run = (...args: string[]) => {
    const env = { ...process.env };
    delete env.BROADSHEET_DATABASE_URL;
    if (url) env.BROADSHEET_DATABASE_URL = url;
    const result = spawnSync(process.execPath, [BIN, 'subscribers', ...args], {
      cwd: state.dir,
      encoding: 'utf8',
      env,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  /** The store the command wrote, opened the way the test can check it. */
  const store = async (): Promise<DeliveryStore> => {
    const opened = url
      ? await postgresStore(url)
      : sqliteStore(openState(join(state.dir, 'state.db')), { closeDb: true });
    cleanups.push(() => opened.close());
    return opened;
  };
  return { dir: state.dir, run, store };
}

describe.each(BACKENDS)('broadsheet subscribers on $name', ({ name }) => {
  it('imports the good rows of a CSV, reports the bad ones as file:line, and exits 1', async () => {
    const { dir, run } = await folder(name);
    copyFileSync(
      new URL('../deliver/fixtures/subscribers-with-bad-rows.csv', import.meta.url),
      join(dir, 'readers.csv'),
    );
    const result = run('import', 'readers.csv');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('readers.csv:3: error: not a valid email address: "not-an-address"');
    expect(result.stderr).toContain('readers.csv:5: warning: duplicate of line 2');
    expect(result.stderr).toContain('readers.csv:6: error: unknown topic "gardening"');
    expect(result.stderr).toContain('imported 3 of 6 rows');
    const list = JSON.parse(run('list', '--json').stdout) as { email: string; topics: string[] }[];
    expect(list.map((s) => [s.email, s.topics])).toEqual([
      ['ann@example.org', ['transit', 'climate']],
      ['bob@example.org', []],
      ['dee@example.org', ['transit']],
    ]);
    // Importing again adds nobody and says who was already there.
    const again = run('import', 'readers.csv');
    expect(again.stderr).toContain('readers.csv:2: warning: ann@example.org is already on the list (active)');
    expect(again.stderr).toContain('imported 0 of 6 rows');
  });

  it('adds, removes (kept as unsubscribed), and exports CSV', async () => {
    const { dir, run } = await folder(name);
    expect(run('add', 'ann@example.org', '--name', 'Ann Lee', '--topics', 'climate').code).toBe(0);
    expect(run('add', 'not an address').code).toBe(2);
    expect(run('remove', 'ann@example.org').code).toBe(0);
    expect(run('add', 'ANN@example.org').stderr).toContain('already on the list (unsubscribed)');
    expect(run('list', '--status', 'active', '--json').stdout).toBe('[]\n');
    expect(run('add', 'ann@example.org', '--reactivate').stderr).toContain('reactivated ann@example.org');
    expect(JSON.parse(run('list', '--status', 'active', '--json').stdout)).toHaveLength(1);
    expect(run('remove', 'ann@example.org').code).toBe(0);
    expect(run('export', 'list.csv').code).toBe(0);
    expect(readFileSync(join(dir, 'list.csv'), 'utf8')).toMatch(
      /^email,name,topics,status,created_at,bounce_count\nann@example.org,Ann Lee,climate,unsubscribed,/,
    );
    expect(run('remove', 'ann@example.org', '--purge').code).toBe(0);
    expect(JSON.parse(run('list', '--json').stdout)).toEqual([]);
  });

  it('keeps suppressed addresses out of add and import; only add --reactivate lifts a bounce, never an erasure', async () => {
    const { dir, run, store } = await folder(name);
    const state = await store();
    await state.suppress('Bo@example.org', 'bounced', '2026-11-20T00:00:00.000Z');
    await state.suppress('cy@example.org', 'erased', '2026-11-20T00:00:00.000Z');
    writeFileSync(join(dir, 'readers.csv'), 'email\nann@example.org\nbo@example.org\ncy@example.org\n');
    const imported = run('import', 'readers.csv');
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('readers.csv:3: warning: bo@example.org is suppressed (bounced)');
    expect(imported.stderr).toContain('readers.csv:4: warning: cy@example.org was erased');
    expect(imported.stderr).toContain('imported 1 of 3 rows: 0 already on the list, 2 suppressed');
    expect(run('add', 'bo@example.org').code).toBe(1);
    expect(run('add', 'cy@example.org', '--reactivate').code).toBe(1);
    expect(run('add', 'bo@example.org', '--reactivate').code).toBe(0);
    expect(await state.suppressionOf('bo@example.org')).toBeNull();
    expect(await state.suppressionOf('cy@example.org')).toBe('erased');
    const list = JSON.parse(run('list', '--json').stdout) as { email: string; status: string }[];
    expect(list.map((s) => `${s.email} ${s.status}`)).toEqual([
      'ann@example.org active',
      'bo@example.org active',
    ]);
    // An erasure leaves only the hash: the address is gone from the list and cannot come back.
    expect(run('remove', 'ann@example.org', '--purge').code).toBe(0);
    expect(await state.findSubscriberByEmail('ann@example.org')).toBeNull();
    expect(await state.suppressionOf('ann@example.org')).toBe('erased');
    expect(run('add', 'ann@example.org').code).toBe(1);
  });

  it('imports a file longer than one batch, and reports a duplicate across batches once', async () => {
    const { dir, run, store } = await folder(name);
    const lines = Array.from({ length: 5003 }, (_, i) => `r${i}@example.org`);
    lines.push('r1@example.org');
    writeFileSync(join(dir, 'readers.csv'), `email\n${lines.join('\n')}\n`);
    const imported = run('import', 'readers.csv');
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain(
      'readers.csv:5005: warning: duplicate of an earlier line (r1@example.org); kept the first',
    );
    expect(imported.stderr).toContain(
      'imported 5003 of 5004 rows: 0 already on the list, 1 duplicate in the file',
    );
    expect(await (await store()).countSubscribers()).toBe(5003);
    const list = run('list', '--json');
    const emails = (JSON.parse(list.stdout) as { email: string }[]).map((s) => s.email);
    expect(emails).toEqual(lines.slice(0, 5003));
  });
});
