import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openState } from '../../src/state/db.ts';
import {
  addSubscriber,
  listSubscribers,
  recordBounce,
  setSubscriberStatus,
} from '../../src/state/subscribers.ts';
import { NOW, tempState } from './helpers.ts';

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
      feeds: { topics: [{ name: 'Transit' }, { name: 'Climate' }] },
      paths: { state: 'state.db' },
    }),
  );
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, 'subscribers', ...args], {
      cwd: state.dir,
      encoding: 'utf8',
      env: { ...process.env, SOURCE_DATE_EPOCH: String(Date.parse(NOW) / 1000) },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const statuses = () => {
    const db = openState(join(state.dir, 'state.db'));
    const list = listSubscribers(db).map((s) => [s.email, s.status]);
    db.close();
    return list;
  };
  return { dir: state.dir, run, statuses };
}

describe('subscribers export then import keeps every status', () => {
  /** A state with ann active, bob unsubscribed and cal bounced, set up through the state API. */
  function listWithStatuses() {
    const made = folder();
    const db = openState(join(made.dir, 'state.db'));
    for (const email of ['ann@example.org', 'bob@example.org', 'cal@example.org'])
      addSubscriber(db, { email }, NOW);
    const [, bob, cal] = listSubscribers(db);
    if (bob && cal) {
      setSubscriberStatus(db, bob.id, 'unsubscribed', NOW);
      recordBounce(db, cal.id, 1, NOW);
    }
    db.close();
    return made;
  }
  const EXPECTED = [
    ['ann@example.org', 'active'],
    ['bob@example.org', 'unsubscribed'],
    ['cal@example.org', 'bounced'],
  ];

  it('into a fresh state: unsubscribed and bounced stay so', () => {
    const source = listWithStatuses();
    expect(source.statuses()).toEqual(EXPECTED);
    const csvPath = join(source.dir, 'list.csv');
    expect(source.run('export', csvPath).code).toBe(0);
    const target = folder();
    const imported = target.run('import', csvPath);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('imported 3 of 3 rows');
    expect(target.statuses()).toEqual(EXPECTED);
  });

  it('nobody unsubscribed or bounced is made active by an import or a plain add; --reactivate does it', () => {
    const target = listWithStatuses();
    // A hand-made list naming them active does not bring them back; `add` alone does not either.
    writeFileSync(
      join(target.dir, 'active.csv'),
      'email,status\nbob@example.org,active\ncal@example.org,\nann@example.org,unsubscribed\n',
    );
    const again = target.run('import', 'active.csv');
    expect(again.stderr).toContain('bob@example.org is already on the list (unsubscribed); left unchanged');
    expect(again.stderr).toContain('cal@example.org is already on the list (bounced); left unchanged');
    // An opt-out in the file is honoured for someone still active here.
    expect(again.stderr).toContain('ann@example.org was active; now unsubscribed as the file says');
    expect(again.stderr).toContain('1 set unsubscribed or bounced');
    expect(target.run('add', 'cal@example.org').stderr).toContain('--reactivate');
    expect(target.statuses()).toEqual([
      ['ann@example.org', 'unsubscribed'],
      ['bob@example.org', 'unsubscribed'],
      ['cal@example.org', 'bounced'],
    ]);
    expect(target.run('add', 'bob@example.org', '--reactivate').stderr).toContain('reactivated');
    expect(target.statuses()[1]).toEqual(['bob@example.org', 'active']);
  });

  it('one bad quote on line 8: reported once, the rows after it imported, the counts add up', () => {
    const { dir, run } = folder();
    copyFileSync(
      new URL('fixtures/subscribers-unclosed-quote-line-8.csv', import.meta.url),
      join(dir, 'readers.csv'),
    );
    const imported = run('import', 'readers.csv');
    expect(imported.code).toBe(1);
    expect(imported.stderr.match(/readers\.csv:\d+: error/g)).toEqual(['readers.csv:8: error']);
    expect(imported.stderr).toContain(
      'imported 9 of 10 rows: 0 already on the list, 0 duplicates in the file, 1 invalid',
    );
  });
});
