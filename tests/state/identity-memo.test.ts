import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredIdentity } from '../../src/normalize/index.ts';
import { openState } from '../../src/state/db.ts';
import { compareBinary, IdentityMemo, loadIdentities, saveIdentities } from '../../src/state/items.ts';

const identity = (id: string, firstSeen: string, text = 'words'): StoredIdentity => ({
  id,
  slug: id.replace(/\W/g, '-'),
  firstSeen,
  titleKey: id,
  canonicalUrl: null,
  sourceFile: 'a.txt',
  contentHash: `h-${text}`,
  editedAt: null,
  textSample: text,
});

describe('the identity memo of a warm rebuild', () => {
  it('orders strings as SQLite does (code points, not UTF-16 units)', () => {
    const db = openState(':memory:');
    db.exec('CREATE TABLE t (s TEXT)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 20 }), (strings) => {
        db.exec('DELETE FROM t');
        for (const s of strings) insert.run(s);
        const sqlite = db.prepare('SELECT s FROM t ORDER BY s').pluck().all();
        expect([...strings].sort(compareBinary)).toEqual(sqlite);
      }),
    );
    db.close();
  });

  it('gives what a fresh load gives after every save, without reading the table again', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.record({
              n: fc.integer({ min: 0, max: 12 }),
              day: fc.integer({ min: 1, max: 9 }),
              text: fc.constantFrom('a', 'b', 'c'),
            }),
            { maxLength: 5 },
          ),
          { maxLength: 6 },
        ),
        (saves) => {
          const db = openState(':memory:');
          const memo = new IdentityMemo();
          for (const rows of saves) {
            const before = loadIdentities(db, memo);
            const changed = rows.map(({ n, day, text }) =>
              identity(`tag:x,2026:s${n}`, `2026-11-0${day}`, text),
            );
            // Repeated ids too: the memo must land where the SQL upserts land.
            saveIdentities(db, changed, memo, before);
            expect(loadIdentities(db, memo)).toEqual(loadIdentities(db));
          }
          db.close();
        },
      ),
    );
  });

  it('reads the table again once another writer changed it', () => {
    const db = openState(':memory:');
    const memo = new IdentityMemo();
    saveIdentities(db, [identity('tag:x,2026:a', '2026-11-01')]);
    expect(loadIdentities(db, memo)).toHaveLength(1);
    // Not through the memo: as another process would.
    saveIdentities(db, [identity('tag:x,2026:b', '2026-11-02')]);
    expect(loadIdentities(db, memo).map((i) => i.id)).toEqual(['tag:x,2026:a', 'tag:x,2026:b']);
    db.close();
  });
});
