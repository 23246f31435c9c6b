import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NormalizeMemo, normalizeArticles, type StoredIdentity } from '../../src/normalize/index.ts';
import { openState, type StateDb } from '../../src/state/db.ts';
import { IdentityMemo, loadIdentities, saveIdentities } from '../../src/state/items.ts';
import type { Article } from '../../src/types.ts';
import { tempDir } from '../helpers/temp.ts';
import { article } from '../render/fixtures/index.ts';

// Text samples stay in the state db: identities read them when matching or saving needs them.

const stateFile = () => join(tempDir('bs-samples-'), 'state.db');
const baseUrl = 'https://news.example.com/';

const ferry = article({
  title: 'Ferry route approved',
  body: [
    'The harbor authority approved a new ferry route between the north pier and downtown on Monday evening.',
    'Service starts in March and runs every twenty minutes at peak times, officials said.',
  ],
  sources: [{ file: 'articles/f.txt', startLine: 1, endLine: 9 }],
});
const school = article({
  title: 'School board elects chair',
  body: ['The school board elected a new chair after a long evening of speeches and one recount.'],
  sources: [{ file: 'articles/f.txt', startLine: 12, endLine: 20 }],
});

function build(
  db: StateDb,
  articles: Article[],
  now: string,
  memo?: { ids: IdentityMemo; n: NormalizeMemo },
) {
  const known = loadIdentities(db, memo?.ids);
  const result = normalizeArticles(articles, {
    baseUrl,
    now,
    known,
    topicRules: [],
    ...(memo ? { memo: memo.n } : {}),
  });
  saveIdentities(db, result.identities, memo?.ids, known);
  return result;
}

const rawSamples = (db: StateDb) =>
  db.prepare('SELECT id, text_sample FROM item_identities ORDER BY id').all() as {
    id: string;
    text_sample: string;
  }[];

describe('text samples of stored identities', () => {
  it('are not loaded with the identities: each read goes to the table', () => {
    const db = openState(stateFile());
    build(db, [ferry, school], '2026-11-24T15:00:00Z');
    const known = loadIdentities(db);
    const descriptor = Object.getOwnPropertyDescriptor(known[0], 'textSample');
    expect(descriptor?.get).toBeTypeOf('function');
    expect(descriptor).not.toHaveProperty('value');
    // A change in the table shows on the next read: nothing was kept.
    db.prepare('UPDATE item_identities SET text_sample = ? WHERE id = ?').run('planted', known[0]?.id);
    expect(known[0]?.textSample).toBe('planted');
    db.close();
  });

  it('still recognise a retitled story in the same file by its words', () => {
    const db = openState(stateFile());
    const first = build(db, [ferry, school], '2026-11-24T15:00:00Z');
    const retitled = { ...ferry, title: 'Ferry route approved after long debate' };
    const second = build(db, [retitled, school], '2026-11-25T09:00:00Z');
    const idOf = (result: typeof first, title: string) => result.items.find((i) => i.title === title)?.id;
    expect(idOf(second, retitled.title)).toBe(idOf(first, ferry.title));
    expect(idOf(second, school.title)).toBe(idOf(first, school.title));
    db.close();
  });

  it('are saved as their distinct words, sorted: computed for new and edited stories, kept for unedited ones', () => {
    const db = openState(stateFile());
    const odd = article({
      title: 'Tabs\tand accents',
      body: ['Ünïcode  text — with “quotes”, an emoji 🚢 and\ttabs.', 'A second paragraph.'],
    });
    build(db, [ferry, odd], '2026-11-24T15:00:00Z');
    const saved = rawSamples(db);
    expect(saved.map((row) => row.text_sample)).toEqual(
      loadIdentities(db).map((identity) => identity.textSample),
    );
    // The words in order are "unicode text with quotes an emoji and tabs a second paragraph".
    expect(saved.find((row) => row.id.endsWith('tabs-and-accents'))?.text_sample).toBe(
      'a an and emoji paragraph quotes second tabs text unicode with',
    );
    // An unedited story saved again (its file moved) keeps the stored sample, not a recomputed one.
    const ferryId = saved.find((row) => row.id.endsWith('ferry-route-approved'))?.id;
    db.prepare('UPDATE item_identities SET text_sample = ? WHERE id = ?').run('stored words', ferryId);
    const moved = { ...ferry, sources: [{ file: 'articles/g.txt', startLine: 1, endLine: 9 }] };
    build(db, [moved, odd], '2026-11-25T09:00:00Z');
    const after = rawSamples(db);
    expect(after.find((row) => row.id === ferryId)?.text_sample).toBe('stored words');
    expect(db.prepare('SELECT source_file FROM item_identities WHERE id = ?').pluck().get(ferryId)).toBe(
      'articles/g.txt',
    );
    db.close();
  });

  it('match a retitled story as the words in order did, against rows written before (the sample in order)', () => {
    const repeated = article({
      title: 'Tide tables printed',
      body: [
        'The tide tables for the harbor are printed. The tide tables list the tide at the harbor mouth.',
        'The harbor office prints the tide tables each spring, the office said.',
      ],
      sources: [{ file: 'articles/t.txt', startLine: 1, endLine: 9 }],
    });
    const db = openState(stateFile());
    const first = build(db, [repeated], '2026-11-24T15:00:00Z');
    const id = first.items[0]?.id;
    const stored = rawSamples(db)[0]?.text_sample ?? '';
    const inOrder = first.identities[0]?.textSample ?? '';
    expect(stored.length, 'each repeated word is kept once').toBeLessThan(inOrder.length);
    expect(new Set(stored.split(' '))).toEqual(new Set(inOrder.split(' ')));
    // Retitled and lightly edited: recognised by its words, from the stored set...
    const edited = {
      ...repeated,
      title: 'Harbor prints its tide tables for spring',
      body: [...repeated.body, 'Copies are free.'],
    };
    expect(build(db, [edited], '2026-11-25T09:00:00Z').items[0]?.id).toBe(id);
    // ...and from a row written before samples were stored as sets (the words in order).
    const older = openState(stateFile());
    build(older, [repeated], '2026-11-24T15:00:00Z');
    older.prepare('UPDATE item_identities SET text_sample = ?').run(inOrder);
    expect(build(older, [edited], '2026-11-25T09:00:00Z').items[0]?.id).toBe(id);
    db.close();
    older.close();
  });

  it('are read from the current connection on a warm rebuild over closed snapshot databases', () => {
    // As serve does: every build opens a fresh copy of the state, writes into it, and closes it.
    const real = stateFile();
    const first = openState(real);
    build(first, [ferry, school], '2026-11-24T15:00:00Z');
    first.close();
    const memo = { ids: new IdentityMemo(), n: new NormalizeMemo() };
    const retitled = { ...ferry, title: 'Ferry route approved after long debate' };
    const ids: (string | undefined)[][] = [];
    let known: StoredIdentity[] = [];
    for (const articles of [
      [ferry, school],
      [retitled, school],
      [retitled, school],
    ]) {
      const snapshot = stateFile();
      copyFileSync(real, snapshot);
      const db = openState(snapshot);
      known = loadIdentities(db, memo.ids);
      const result = build(db, articles, '2026-11-25T09:00:00Z', memo);
      ids.push(
        [ferry.title, retitled.title, school.title].map((t) => result.items.find((i) => i.title === t)?.id),
      );
      db.close();
    }
    expect(ids[1]?.[1]).toBe(ids[0]?.[0]);
    expect(ids[2]).toEqual(ids[1]);
    // Identities the memo keeps read through the next connection, never the closed one.
    const next = openState(real);
    expect(loadIdentities(next, memo.ids)).toBe(known);
    expect(known.map((identity) => identity.textSample)).toEqual(
      rawSamples(next).map((row) => row.text_sample),
    );
    next.close();
  });
});
