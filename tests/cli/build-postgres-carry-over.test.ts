import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { feedItems, freshCheckout, query } from './build-postgres-helpers.ts';
import { broadsheet, editFile, epochOf } from './publication.ts';

// A publisher who builds on fresh CI runners has no state file between runs: with
// BROADSHEET_DATABASE_URL the ids, dates and editions readers depend on live in PostgreSQL.

const FIRST = epochOf('2026-11-24T20:00:00Z');
const NEXT = epochOf('2026-11-25T20:00:00Z');
const EDITED = 'articles/2026-11-20-first-frost.txt';
const NEW_STORY = `---
title: Ferry Adds a Late Sailing on Fridays
date: 2026-11-25 08:00
---

The harbor ferry will run a last sailing at 11:40 p.m. on Fridays from December, the transit
authority said, after a pilot in the summer carried more riders than expected.
`;

describe.skipIf(!postgresAvailable())('build with BROADSHEET_DATABASE_URL on a fresh checkout', () => {
  it('keeps ids, dates and editions from a build in another folder, with no state file', async () => {
    const url = await freshDatabase('build-carry-over');
    const env = { BROADSHEET_DATABASE_URL: url };

    const a = freshCheckout('bs-pg-build-a-');
    const first = await broadsheet(['build'], a, FIRST, env);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain('newsletter: edition 2026-11-24: 7 stories');
    // Nothing kept locally: the state is in the database.
    expect(existsSync(join(a, '.broadsheet', 'state.db'))).toBe(false);
    const before = feedItems(a);
    const stored = await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM item_identities');
    expect(stored[0]?.n).toBe(27);

    const b = freshCheckout('bs-pg-build-b-');
    editFile(b, EDITED, (text) =>
      text.replace('29 degrees at the airport.\n', '28 degrees at the airport.\n'),
    );
    writeFileSync(join(b, 'articles', '2026-11-25-late-ferry.md'), NEW_STORY);
    const next = await broadsheet(['build'], b, NEXT, env);
    expect(next.status, next.stderr).toBe(0);
    expect(next.stderr).toContain('state: 27 stories and 1 edition from PostgreSQL in ');
    const after = feedItems(b);

    const byUrl = new Map(after.map((item) => [item.url, item]));
    const edited = before.find((item) => item.title === 'First Frost Arrives Two Weeks Early');
    if (!edited) throw new Error('the edited story is not in the first feed');
    for (const item of before) {
      const again = byUrl.get(item.url);
      expect(again?.id, item.title).toBe(item.id);
      expect(again?.date_published, item.title).toBe(item.date_published);
      expect(again?.date_modified, item.title).toBe(item.date_modified);
    }
    // The edited story is the same story (same id, dates from its own "Updated" line), new text.
    expect(JSON.stringify(edited)).toContain('29 degrees at the airport');
    expect(JSON.stringify(byUrl.get(edited.url))).toContain('28 degrees at the airport');
    const added = after.filter((item) => !before.some((old) => old.id === item.id));
    expect(added.map((item) => item.title)).toEqual(['Ferry Adds a Late Sailing on Fridays']);

    // The first edition carried over byte for byte; the new one holds only the new story.
    const firstEdition = 'out/newsletter/2026-11-24/email.html';
    expect(readFileSync(join(b, firstEdition), 'utf8')).toBe(readFileSync(join(a, firstEdition), 'utf8'));
    expect(next.stderr).toContain('newsletter: edition 2026-11-25: 1 story');
    const editions = await query<{ id: string; n: number }>(
      url,
      'SELECT edition_id AS id, count(*)::int AS n FROM edition_items GROUP BY edition_id ORDER BY edition_id',
    );
    expect(editions).toEqual([
      { id: '2026-11-24', n: 7 },
      { id: '2026-11-25', n: 1 },
    ]);
  });
});
