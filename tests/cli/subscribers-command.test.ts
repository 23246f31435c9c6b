import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempState } from '../deliver/helpers.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function folder() {
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
    const result = spawnSync(process.execPath, [BIN, 'subscribers', ...args], {
      cwd: state.dir,
      encoding: 'utf8',
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  return { dir: state.dir, run };
}

describe('broadsheet subscribers', () => {
  it('imports the good rows of a CSV, reports the bad ones as file:line, and exits 1', () => {
    const { dir, run } = folder();
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

  it('adds, removes (kept as unsubscribed), and exports CSV', () => {
    const { dir, run } = folder();
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
});
