import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stateSnapshots } from '../../src/cli/serve/snapshot.ts';
import { openState, type StateDb } from '../../src/state/db.ts';
import { tempDir } from '../helpers/temp.ts';

let dir: string;
let real: StateDb;
beforeEach(() => {
  dir = tempDir('bs-snapshot-');
  real = openState(join(dir, 'state.db'));
  real.exec('CREATE TABLE notes (text TEXT)');
  real.prepare('INSERT INTO notes VALUES (?)').run('published');
});
afterEach(() => {
  real.close();
  rmSync(dir, { recursive: true, force: true });
});

const notes = (db: StateDb) => db.prepare('SELECT text FROM notes ORDER BY rowid').pluck().all();

describe("serve's state snapshots", () => {
  it('roll back whatever a build wrote, and are not copied again while the real state is unchanged', () => {
    let taken = 0;
    const open = stateSnapshots(real, join(dir, 'snapshot.db'), () => taken++);
    const first = open();
    expect(notes(first)).toEqual(['published']);
    first.prepare('INSERT INTO notes VALUES (?)').run('preview only');
    first.close();
    const inode = statSync(join(dir, 'snapshot.db')).ino;
    const second = open();
    expect(notes(second)).toEqual(['published']);
    second.close();
    expect(taken).toBe(1);
    expect(statSync(join(dir, 'snapshot.db')).ino).toBe(inode);
    expect(notes(real)).toEqual(['published']);
  });

  it('are taken again once another process commits to the real state', () => {
    let taken = 0;
    const open = stateSnapshots(real, join(dir, 'snapshot.db'), () => taken++);
    open().close();
    const other = openState(join(dir, 'state.db'));
    other.prepare('INSERT INTO notes VALUES (?)').run('from a real build');
    other.close();
    const next = open();
    expect(notes(next)).toEqual(['published', 'from a real build']);
    next.close();
    expect(taken).toBe(2);
  });

  it("are taken again after serve's own connection writes (the unsubscribe endpoint)", () => {
    const open = stateSnapshots(real, join(dir, 'snapshot.db'));
    open().close();
    real.prepare('INSERT INTO notes VALUES (?)').run('unsubscribed');
    const next = open();
    expect(notes(next)).toEqual(['published', 'unsubscribed']);
    next.close();
  });
});
