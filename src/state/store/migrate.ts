import pg from 'pg';
import type { StateDb } from '../db.ts';
import { ensurePostgresSchema, inTransaction } from './postgres.ts';
import { MIGRATED_TABLES } from './postgres-schema.ts';

export interface TableCopy {
  table: string;
  /** Rows in the SQLite table. */
  rows: number;
  /** Rows newly written to PostgreSQL (0 on a re-run: rows already there are left alone). */
  copied: number;
  /** Subscribers already there whose mailing stopped in SQLite since (unsubscribed, bounced, paused). */
  stopped: number;
}

/** Rows per INSERT: under PostgreSQL's 65,535 parameters for the widest table. */
const BATCH_PARAMETERS = 60_000;

/**
 * Copies a SQLite state into PostgreSQL, ids intact: identities, editions, subscribers, the
 * ledger, suppressions, bounce events and the unsubscribe secret. One transaction (all or
 * nothing), rows read with a cursor (a million subscribers never sit in memory at once), and
 * `ON CONFLICT DO NOTHING`, so running it again copies only what is new and changes nothing else,
 * with one exception: a subscriber who stopped mail in SQLite since (an unsubscribe, a bounce, a
 * pause) stops in PostgreSQL too, or a re-run after an unsubscribe would leave the senders
 * mailing that person. Never the other way: a reader PostgreSQL saw bounce or unsubscribe is
 * not made active again by an older SQLite row.
 * Identity counters are moved past the copied ids, so the next subscriber PostgreSQL adds never
 * takes an id SQLite gave out.
 */
export async function migrateToPostgres(
  db: StateDb,
  url: string,
  onTable: (copy: TableCopy) => void = () => {},
): Promise<TableCopy[]> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {});
  try {
    await ensurePostgresSchema(pool);
    return await inTransaction(pool, async (client) => {
      const copies: TableCopy[] = [];
      for (const spec of MIGRATED_TABLES) {
        const copy = await copyTable(db, client, spec.table, spec.keyless ? spec.key : null);
        if (!copy) continue;
        if (spec.identity)
          await client.query(
            `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT MAX(${spec.identity}) FROM ${spec.table}), 1))`,
            [spec.table, spec.identity],
          );
        copies.push(copy);
        onTable(copy);
      }
      return copies;
    });
  } finally {
    await pool.end();
  }
}

async function copyTable(
  db: StateDb,
  client: pg.PoolClient,
  table: string,
  keyless: string[] | null,
): Promise<TableCopy | null> {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  if (!exists) return null;
  const sqliteColumns = db
    .prepare(`SELECT name FROM pragma_table_info('${table}')`)
    .pluck()
    .all() as string[];
  const pgColumns = new Set(
    (
      await client.query('SELECT column_name FROM information_schema.columns WHERE table_name = $1', [table])
    ).rows.map((r) => r.column_name as string),
  );
  // Columns both sides have (a column an older SQLite state lacks takes its default).
  const columns = sqliteColumns.filter((c) => pgColumns.has(c));
  const perBatch = Math.max(1, Math.floor(BATCH_PARAMETERS / columns.length));
  let rows = 0;
  let copied = 0;
  let stopped = 0;
  let batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    if (table === 'subscribers') stopped += await propagateStops(client, columns, batch);
    const values = batch
      .map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`)
      .join(', ');
    // A table with no unique key (rate-limit counts) copies only rows it does not hold yet, so a
    // re-run still copies nothing twice.
    const insert = keyless
      ? `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM (VALUES ${values}) AS v(${columns.join(', ')})
         WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE ${keyless.map((k) => `t.${k} = v.${k}`).join(' AND ')})`
      : `INSERT INTO ${table} (${columns.join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${values} ON CONFLICT DO NOTHING`;
    const result = await client.query(insert, batch.flat());
    copied += result.rowCount ?? 0;
    batch = [];
  };
  const select = db.prepare(`SELECT ${columns.join(', ')} FROM ${table}`).raw(true);
  for (const row of select.iterate() as IterableIterator<unknown[]>) {
    rows++;
    batch.push(row);
    if (batch.length >= perBatch) await flush();
  }
  await flush();
  return { table, rows, copied, stopped };
}

/**
 * For rows PostgreSQL already has (same id, same address) and still mails, the status SQLite
 * gives when it says to stop mailing. Run before the insert, so a new row is not counted.
 */
async function propagateStops(client: pg.PoolClient, columns: string[], batch: unknown[][]): Promise<number> {
  const at = (name: string) => columns.indexOf(name);
  const [id, email, status, changed] = [at('id'), at('email'), at('status'), at('status_changed_at')];
  if (id < 0 || email < 0 || status < 0) return 0;
  const stops = batch.filter((row) => row[status] !== 'active');
  if (stops.length === 0) return 0;
  const values = stops
    .map((_, r) => `($${r * 4 + 1}::int, $${r * 4 + 2}, $${r * 4 + 3}, $${r * 4 + 4})`)
    .join(', ');
  const result = await client.query(
    `UPDATE subscribers AS s SET status = v.status, status_changed_at = COALESCE(v.changed, s.status_changed_at)
     FROM (VALUES ${values}) AS v(id, email, status, changed)
     WHERE s.id = v.id AND lower(s.email) = lower(v.email) AND s.status = 'active'`,
    stops.flatMap((row) => [row[id], row[email], row[status], changed < 0 ? null : row[changed]]),
  );
  return result.rowCount ?? 0;
}
