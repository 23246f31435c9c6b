import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresStore } from '../../src/state/store/index.ts';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { freshCheckout, query } from './build-postgres-helpers.ts';
import { broadsheet, editFile, epochOf } from './publication.ts';

// With BROADSHEET_DATABASE_URL, `build` records editions in PostgreSQL: `editions` and `send`
// on any machine see them there, with no `state migrate` in between.

const FIRST = epochOf('2026-11-24T20:00:00Z');
const NEXT = epochOf('2026-11-25T20:00:00Z');
const FERRY = `---
title: Ferry Adds a Late Sailing on Fridays
date: 2026-11-25 08:00
---

The harbor ferry will run a last sailing at 11:40 p.m. on Fridays from December.
`;

describe.skipIf(!postgresAvailable())('editions and send with BROADSHEET_DATABASE_URL', () => {
  it('lists, shows, sends, rebuilds and discards the editions build recorded in the database', async () => {
    const url = await freshDatabase('editions-postgres');
    const env = { BROADSHEET_DATABASE_URL: url };
    expect((await broadsheet(['build'], freshCheckout('bs-pg-ed-build-'), FIRST, env)).status).toBe(0);

    // Another runner, no state file: the edition is there.
    const runner = freshCheckout('bs-pg-ed-runner-');
    const listed = await broadsheet(['editions', 'list'], runner, FIRST, env);
    expect(listed.stdout, listed.stderr).toMatch(/^2026-11-24\t7 stories\tnot sent\t/);
    const shown = await broadsheet(['editions', 'show', 'latest'], runner, FIRST, env);
    expect(shown.stdout).toContain('edition 2026-11-24');
    expect(shown.stdout).toContain('articles/2026-11-24-food-bank-thanksgiving.txt:1');

    // The build on this runner knows from the shared ledger that the edition is unsent, so it warns
    // that an edited story of it would go out with its old text.
    editFile(
      runner,
      'articles/2026-11-24-food-bank-thanksgiving.txt',
      (text) => `${text}\nA late correction.\n`,
    );
    const edited = await broadsheet(['build'], runner, FIRST, env);
    expect(edited.stderr).toContain('unsent edition 2026-11-24 holds the old text of 1 story');

    const store = await postgresStore(url);
    try {
      await store.addSubscriber({ email: 'reader@example.com' }, '2026-11-24T12:00:00.000Z');
    } finally {
      await store.close();
    }
    const sent = await broadsheet(['send'], runner, FIRST, env);
    expect(sent.status, sent.stderr).toBe(0);
    expect(readdirSync(join(runner, 'outbox', '2026-11-24'))).toHaveLength(1);
    expect((await broadsheet(['editions', 'list'], runner, FIRST, env)).stdout).toContain('\tsent to 1\t');
    // Sent is history: no warning about it any more.
    expect((await broadsheet(['build'], runner, FIRST, env)).stderr).not.toContain('unsent edition');
    const refused = await broadsheet(['editions', 'discard', 'latest'], runner, FIRST, env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('cannot discard edition 2026-11-24: it was sent to 1 reader');

    // An unsent edition is rebuilt and discarded in the database.
    const next = freshCheckout('bs-pg-ed-next-');
    writeFileSync(join(next, 'articles', '2026-11-25-late-ferry.md'), FERRY);
    expect((await broadsheet(['build'], next, NEXT, env)).status).toBe(0);
    editFile(next, 'articles/2026-11-25-late-ferry.md', (text) =>
      text.replace('Ferry Adds a Late Sailing', 'Ferry Adds a Midnight Sailing'),
    );
    const rebuilt = await broadsheet(['editions', 'rebuild', 'latest'], next, NEXT, env);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toContain('newsletter: edition 2026-11-25 rebuilt: 1 story');
    expect(await query(url, "SELECT subject FROM editions WHERE id = '2026-11-25'")).toEqual([
      { subject: expect.stringContaining('Midnight Sailing') },
    ]);
    const discarded = await broadsheet(
      ['editions', 'discard', '2026-11-25'],
      freshCheckout('bs-pg-ed-x-'),
      NEXT,
      env,
    );
    expect(discarded.status, discarded.stderr).toBe(0);
    expect(await query(url, 'SELECT id FROM editions ORDER BY seq')).toEqual([{ id: '2026-11-24' }]);
    expect(await query(url, "SELECT item_id FROM edition_items WHERE edition_id = '2026-11-25'")).toEqual([]);
    // The next build puts the story in an edition again, and out/ no longer has the discarded one's files.
    const after = await broadsheet(['build'], next, NEXT, env);
    expect(after.status, after.stderr).toBe(0);
    expect(after.stderr).toContain('newsletter: edition 2026-11-25: 1 story');
    expect(existsSync(join(next, 'out', 'newsletter', '2026-11-25', 'email.html'))).toBe(true);
  });
});
