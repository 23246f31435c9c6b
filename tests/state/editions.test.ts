import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openState, type StateDb } from '../../src/state/db.ts';
import {
  editionIds,
  getEdition,
  getStoredEdition,
  listEditions,
  saveEdition,
} from '../../src/state/editions.ts';
import { tempDir } from '../helpers/temp.ts';
import { makeEdition, makeItems } from '../newsletter/helpers.ts';

let dir: string;
let db: StateDb;

beforeEach(() => {
  dir = tempDir('broadsheet-editions-');
  db = openState(join(dir, 'state.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function store(id: string, stories = 3) {
  const edition = makeEdition(makeItems(stories), undefined, id);
  saveEdition(
    db,
    {
      edition,
      period: 'daily',
      subject: edition.subject,
      preheader: edition.preheader,
      html: `<html>${id}</html>`,
      text: `text ${id}`,
      webHtml: `<html>web ${id}</html>`,
      createdAt: '2026-11-24T08:00:00.000-05:00',
    },
    stories,
  );
  return edition;
}

describe('editions store', () => {
  it('has no edition before the first build', () => {
    expect(getEdition(db, 'latest')).toBeNull();
    expect(getEdition(db, '2026-11-23')).toBeNull();
    expect(listEditions(db)).toEqual([]);
  });

  it('returns the Edition model and its compiled outputs as saved', () => {
    const saved = store('2026-11-23');
    expect(getEdition(db, '2026-11-23')).toEqual(saved);
    const stored = getStoredEdition(db, '2026-11-23');
    expect(stored?.html).toBe('<html>2026-11-23</html>');
    expect(stored?.text).toBe('text 2026-11-23');
    expect(stored?.webHtml).toBe('<html>web 2026-11-23</html>');
  });

  it('"latest" is the last one built, even when ids sort otherwise', () => {
    store('2026-11-23');
    store('2026-W47');
    store('2026-11-23-2');
    expect(getEdition(db, 'latest')?.id).toBe('2026-11-23-2');
    expect(listEditions(db).map((e) => e.id)).toEqual(['2026-11-23-2', '2026-W47', '2026-11-23']);
    expect([...editionIds(db)].sort()).toEqual(['2026-11-23', '2026-11-23-2', '2026-W47']);
  });

  it('survives closing and reopening the file', () => {
    store('2026-11-23', 5);
    db.close();
    db = openState(join(dir, 'state.db'));
    expect(listEditions(db)).toEqual([expect.objectContaining({ id: '2026-11-23', storyCount: 5 })]);
  });

  it('refuses to record the same id twice (an edition, once sent, never changes)', () => {
    store('2026-11-23');
    expect(() => store('2026-11-23')).toThrow(/UNIQUE/);
  });
});
