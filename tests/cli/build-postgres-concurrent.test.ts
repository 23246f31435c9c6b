import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { freshCheckout, query } from './build-postgres-helpers.ts';
import { broadsheet, epochOf } from './publication.ts';

// Two CI runners building one publication at once: the database's build lock makes the second
// wait for the first, so no story gets two ids and no edition is recorded twice.

const NOW = epochOf('2026-11-24T20:00:00Z');

describe.skipIf(!postgresAvailable())('two builds against one database at once', () => {
  it('neither corrupts nor duplicates: one edition, one id per story, the same site from both', async () => {
    const url = await freshDatabase('build-concurrent');
    const env = { BROADSHEET_DATABASE_URL: url };
    const [c, d] = [freshCheckout('bs-pg-build-c-'), freshCheckout('bs-pg-build-d-')];
    const results = await Promise.all([
      broadsheet(['build'], c, NOW, env),
      broadsheet(['build'], d, NOW, env),
    ]);
    for (const result of results) expect(result.status, result.stderr).toBe(0);

    const said = results.map((result) => result.stderr).join('\n');
    expect(said.match(/newsletter: edition 2026-11-24: 7 stories/g)).toHaveLength(1);
    expect(await query(url, 'SELECT id FROM editions')).toEqual([{ id: '2026-11-24' }]);
    const counts = await query(
      url,
      `SELECT (SELECT count(*)::int FROM item_identities) AS stories,
              (SELECT count(DISTINCT slug)::int FROM item_identities) AS slugs,
              (SELECT count(*)::int FROM edition_items) AS carried`,
    );
    expect(counts).toEqual([{ stories: 27, slugs: 27, carried: 7 }]);
    for (const file of ['feed.json', 'atom.xml', 'newsletter/2026-11-24/email.html'])
      expect(readFileSync(join(d, 'out', file), 'utf8'), file).toBe(
        readFileSync(join(c, 'out', file), 'utf8'),
      );
  });
});
