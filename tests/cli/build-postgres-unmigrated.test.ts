import { describe, expect, it } from 'vitest';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { feedItems, freshCheckout, query } from './build-postgres-helpers.ts';
import { broadsheet, epochOf } from './publication.ts';

// A publisher who built on SQLite and then sets BROADSHEET_DATABASE_URL without migrating: a
// build on the empty database would give every story a new first-seen date (new ids for
// readers) and put old stories in a new edition. It is refused until `state migrate` ran.

const FIRST = epochOf('2026-11-24T20:00:00Z');
const LATER = epochOf('2026-11-26T20:00:00Z');

describe.skipIf(!postgresAvailable())(
  'build with BROADSHEET_DATABASE_URL beside an unmigrated state file',
  () => {
    it('refuses, changing nothing, then builds with the same ids once the state is migrated', async () => {
      const url = await freshDatabase('build-unmigrated');
      const dir = freshCheckout('bs-pg-unmigrated-');
      expect((await broadsheet(['build'], dir, FIRST)).status).toBe(0);
      const local = feedItems(dir);

      const refused = await broadsheet(['build'], dir, LATER, { BROADSHEET_DATABASE_URL: url });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('holds no stories yet, but');
      expect(refused.stderr).toContain('broadsheet state migrate --to "$BROADSHEET_DATABASE_URL"');
      expect(await query(url, 'SELECT id FROM item_identities')).toEqual([]);
      expect(feedItems(dir)).toEqual(local);

      expect((await broadsheet(['state', 'migrate', '--to', url], dir, LATER)).status).toBe(0);
      const runner = freshCheckout('bs-pg-migrated-');
      const built = await broadsheet(['build'], runner, LATER, { BROADSHEET_DATABASE_URL: url });
      expect(built.status, built.stderr).toBe(0);
      expect(built.stderr).toContain('newsletter: no edition built: no new stories');
      const ids = (items: { id: string; date_published: string }[]) =>
        items.map((item) => `${item.id} ${item.date_published}`);
      expect(ids(feedItems(runner))).toEqual(ids(local));
    });
  },
);
