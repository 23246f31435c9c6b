import pg from 'pg';
import { type EditionSummaryRow, SUMMARY_COLUMNS, toEditionSummary } from '../editions.ts';
import { BuildSyncError, withBuildLock } from './build-sync.ts';
import type { EditionsState } from './editions-state.ts';
import { postgresStore } from './postgres.ts';

export async function postgresEditions(url: string): Promise<EditionsState> {
  const store = await postgresStore(url, { poolSize: 2 });
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  return {
    async list() {
      const rows = await client.query(`SELECT ${SUMMARY_COLUMNS} FROM editions ORDER BY seq DESC`);
      return (rows.rows as EditionSummaryRow[]).map(toEditionSummary);
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
