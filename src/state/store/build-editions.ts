import pg from 'pg';
import type { DeliveryState, EditionSummary } from '../../types.ts';
import type { StateDb } from '../db.ts';
import { deleteEdition, getStoredEdition, listEditions, type StoredEdition } from '../editions.ts';
import { countDeliveries } from '../ledger.ts';
import { BuildSyncError, withBuildLock } from './build-sync.ts';
import { postgresStore } from './postgres.ts';

/**
 * What `broadsheet editions` reads and changes, on the SQLite state file or, with
 * BROADSHEET_DATABASE_URL, on PostgreSQL (where `build` records editions and `send` reads them).
 */
export interface EditionsState {
  /** Every edition, newest (last built) first. */
  list(): Promise<EditionSummary[]>;
  stored(id: string | 'latest'): Promise<StoredEdition | null>;
  counts(id: string): Promise<Record<DeliveryState, number>>;
  /**
   * Forgets an edition no reader got, with which stories it carried and its undelivered ledger
   * rows. The caller checks first; PostgreSQL checks again under the build lock, since a sender
   * on another machine may have started meanwhile (then BuildSyncError, nothing changed).
   */
  discard(id: string): Promise<void>;
  close(): Promise<void>;
}

export function sqliteEditions(db: StateDb): EditionsState {
  return {
    list: async () => listEditions(db),
    stored: async (id) => getStoredEdition(db, id),
    counts: async (id) => countDeliveries(db, id),
    discard: async (id) => {
      deleteEdition(db, id);
    },
    close: async () => {
      db.close();
    },
  };
}

export async function postgresEditions(url: string): Promise<EditionsState> {
  const store = await postgresStore(url, { poolSize: 2 });
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  return {
    async list() {
      const rows = await client.query(
        `SELECT id, subject, preheader, url, since, until, story_count, created_at FROM editions ORDER BY seq DESC`,
      );
      return rows.rows.map((r) => ({
        id: r.id,
        subject: r.subject,
        preheader: r.preheader,
        url: r.url,
        since: r.since,
        until: r.until,
        storyCount: r.story_count,
        createdAt: r.created_at,
      }));
    },
    stored: (id) => store.getStoredEdition(id),
    counts: (id) => store.countDeliveries(id),
    discard: (id) =>
      withBuildLock(client, async () => {
        const delivered = await client.query(
          "SELECT count(*)::int AS n FROM deliveries WHERE edition_id = $1 AND state IN ('sent', 'sending')",
          [id],
        );
        if ((delivered.rows[0]?.n as number) > 0)
          throw new BuildSyncError(
            `edition ${id} was sent meanwhile, so it is history now; nothing was changed`,
          );
        await client.query('DELETE FROM edition_items WHERE edition_id = $1', [id]);
        await client.query(
          "DELETE FROM deliveries WHERE edition_id = $1 AND state IN ('pending', 'failed', 'skipped')",
          [id],
        );
        await client.query('DELETE FROM editions WHERE id = $1', [id]);
      }),
    async close() {
      await client.end().catch(() => {});
      await store.close();
    },
  };
}
