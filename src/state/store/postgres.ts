import pg from 'pg';
import type { DeliveryState, SubscriberStatus } from '../../types.ts';
import { EDITION_COLUMNS, editionItemIds, editionRowValues, type StoredEdition } from '../editions.ts';
import { type DeliveryRow, toDelivery } from '../ledger.ts';
import {
  type AddResult,
  type ImportResult,
  type NewSubscriber,
  type SubscriberRow,
  toSubscriber,
} from '../subscribers.ts';
import { emailHash, type SuppressionReason } from '../suppression.ts';
import { postgresAudience } from './audience-postgres.ts';
import { AUDIENCE_SCHEMA } from './audience-schema.ts';
import { SCHEMA } from './postgres-schema.ts';
import type { ClaimRequest, DeliveryStore, ImportCounts, InDoubtRow } from './types.ts';

/** Any fixed number: the advisory lock that serializes schema creation and seeding. */
const SCHEMA_LOCK = 2126021;
/** The advisory-lock class a live sender holds its own key under (see `claimedByLiveSender`). */
const SENDER_LOCK_CLASS = 2126022;

/**
 * True while the sender that claimed row `d` is alive: each sender holds a session advisory lock
 * on its key for as long as it runs, and PostgreSQL drops the lock when the process dies (kill
 * -9, a lost machine) with its connection. So liveness needs no heartbeats, and a `sending` row
 * whose claimant is gone is exactly an in-doubt row.
 */
const claimedByLiveSender = `EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted
  AND l.classid = ${SENDER_LOCK_CLASS} AND l.objid = d.claimed_by::oid AND l.objsubid = 2)`;

type Queryable = pg.Pool | pg.PoolClient;

/** Runs `work` in one transaction on one pooled connection. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Creates the tables once (concurrent first runs on several machines wait for each other). */
export async function ensurePostgresSchema(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await client.query(SCHEMA);
    await client.query(AUDIENCE_SCHEMA);
  });
}

/**
 * The state in PostgreSQL: what several machines share to send one edition together. Claims lock
 * the ledger rows they take with `FOR UPDATE SKIP LOCKED`, so concurrent senders never wait on
 * each other nor take the same row; every claim commits before it returns.
 */
export async function postgresStore(
  url: string,
  options: { poolSize?: number } = {},
): Promise<DeliveryStore> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle pooled connection the server dropped must not crash the process.
  pool.on('error', () => {});
  await ensurePostgresSchema(pool);
  const seeded = new Set<string>();
  // This sender's key, held (session advisory lock, own connection) until close() or death.
  const senderKey = 1 + Math.floor(Math.random() * 2_147_483_646);
  const holder = new pg.Client({ connectionString: url });
  holder.on('error', () => {});
  await holder.connect();
  await holder.query('SELECT pg_advisory_lock($1, $2)', [SENDER_LOCK_CLASS, senderKey]);

  const one = async <T>(db: Queryable, sql: string, params: unknown[]): Promise<T | undefined> =>
    (await db.query(sql, params)).rows[0] as T | undefined;
  const getSubscriber = async (db: Queryable, id: number) => {
    const row = await one<SubscriberRow>(db, 'SELECT * FROM subscribers WHERE id = $1', [id]);
    return row ? toSubscriber(row) : null;
  };
  const findByEmail = async (db: Queryable, email: string) => {
    const row = await one<SubscriberRow>(db, 'SELECT * FROM subscribers WHERE lower(email) = lower($1)', [
      email,
    ]);
    return row ? toSubscriber(row) : null;
  };
  const setStatus = async (db: Queryable, id: number, status: SubscriberStatus, now: string) =>
    (
      await db.query(
        `UPDATE subscribers SET status = $1,
           status_changed_at = CASE WHEN status = $1 THEN status_changed_at ELSE $2 END WHERE id = $3`,
        [status, now, id],
      )
    ).rowCount === 1;
  const addSubscriber = async (db: Queryable, input: NewSubscriber, now: string): Promise<AddResult> => {
    const status = input.status ?? 'active';
    const row = await one<SubscriberRow>(
      db,
      `INSERT INTO subscribers (email, name, topics, status, created_at, status_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ((lower(email))) DO NOTHING RETURNING *`,
      [
        input.email,
        input.name ?? null,
        (input.topics ?? []).join(';'),
        status,
        now,
        status === 'active' ? null : now,
      ],
    );
    if (row) return { added: true, subscriber: toSubscriber(row) };
    const existing = await findByEmail(db, input.email);
    if (!existing) throw new Error(`subscriber ${input.email} neither added nor found`);
    return { added: false, existing };
  };
  const suppressed = async (db: Queryable, emails: string[]): Promise<Set<string>> => {
    if (emails.length === 0) return new Set();
    const hashes = emails.map(emailHash);
    const rows = (await db.query('SELECT email_hash FROM suppressions WHERE email_hash = ANY($1)', [hashes]))
      .rows;
    const found = new Set(rows.map((r) => r.email_hash as string));
    return new Set(emails.filter((_, i) => found.has(hashes[i] as string)));
  };
  const settle = async (
    editionId: string,
    subscriberId: number,
    state: DeliveryState,
    error: string | null,
    now: string,
  ) => {
    await pool.query(
      `UPDATE deliveries SET state = $1, last_error = $2, updated_at = $3
       WHERE edition_id = $4 AND subscriber_id = $5 AND state = 'sending'`,
      [state, error, now, editionId, subscriberId],
    );
  };

  /**
   * One `pending` row per active subscriber who has none yet, so claims are an index scan over
   * pending rows (not an anti-join over everyone sent so far). Done once per process and edition;
   * a second sender starting later adds only people who joined since.
   */
  const seed = async (editionId: string, now: string) => {
    if (seeded.has(editionId)) return;
    await inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SCHEMA_LOCK, editionId]);
      await client.query(
        `INSERT INTO deliveries (edition_id, subscriber_id, state, message_id, attempts, updated_at)
         SELECT $1, s.id, 'pending', '', 0, $2 FROM subscribers s
         WHERE s.status = 'active'
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.edition_id = $1 AND d.subscriber_id = s.id)
         ON CONFLICT DO NOTHING`,
        [editionId, now],
      );
    });
    seeded.add(editionId);
  };

  return {
    backend: 'postgres',
    async getStoredEdition(id) {
      const row = await one<Record<string, string>>(
        pool,
        id === 'latest'
          ? 'SELECT * FROM editions ORDER BY seq DESC LIMIT 1'
          : 'SELECT * FROM editions WHERE id = $1',
        id === 'latest' ? [] : [id],
      );
      if (!row) return null;
      return {
        edition: JSON.parse(row.edition_json as string),
        period: row.period,
        subject: row.subject,
        preheader: row.preheader,
        html: row.html,
        text: row.text,
        webHtml: row.web_html,
        createdAt: row.created_at,
      } as StoredEdition;
    },
    async saveEdition(stored, storyCount) {
      await inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO editions (${EDITION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          editionRowValues(stored, storyCount),
        );
        await client.query(
          `INSERT INTO edition_items (item_id, edition_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`,
          [editionItemIds(stored.edition), stored.edition.id],
        );
      });
    },
    addSubscriber: (input, now) => addSubscriber(pool, input, now),
    async importSubscriber(input, now): Promise<ImportResult> {
      return inTransaction(pool, async (client) => {
        const result = await addSubscriber(client, input, now);
        if (result.added) return { kind: 'added', subscriber: result.subscriber };
        const { existing } = result;
        const status = input.status ?? 'active';
        if (existing.status !== 'active' || status === 'active') return { kind: 'unchanged', existing };
        await setStatus(client, existing.id, status, now);
        return { kind: 'status-applied', subscriber: { ...existing, status }, was: existing.status };
      });
    },
    async importSubscribers(rows, now): Promise<ImportCounts> {
      // Set-based: one INSERT and one UPDATE per batch, not a round trip per row (1M rows).
      const emails = rows.map((r) => r.email);
      const statuses = rows.map((r) => r.status ?? 'active');
      return inTransaction(pool, async (client) => {
        const added = await client.query(
          `INSERT INTO subscribers (email, name, topics, status, created_at, status_changed_at)
           SELECT e, n, t, s, $5, CASE WHEN s = 'active' THEN NULL ELSE $5 END
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS v(e, n, t, s)
           ON CONFLICT ((lower(email))) DO NOTHING`,
          [
            emails,
            rows.map((r) => r.name ?? null),
            rows.map((r) => (r.topics ?? []).join(';')),
            statuses,
            now,
          ],
        );
        // An opt-out in the file is always honoured; nothing here makes anyone active again.
        const applied = await client.query(
          `UPDATE subscribers s SET status = v.st, status_changed_at = $3
           FROM unnest($1::text[], $2::text[]) AS v(e, st)
           WHERE lower(s.email) = lower(v.e) AND s.status = 'active' AND v.st <> 'active'`,
          [emails, statuses, now],
        );
        const addedCount = added.rowCount ?? 0;
        const appliedCount = applied.rowCount ?? 0;
        return {
          added: addedCount,
          statusApplied: appliedCount,
          unchanged: rows.length - addedCount - appliedCount,
        };
      });
    },
    getSubscriber: (id) => getSubscriber(pool, id),
    findSubscriberByEmail: (email) => findByEmail(pool, email),
    async activeSubscribersAfter(afterId, limit) {
      const rows = (
        await pool.query(
          "SELECT * FROM subscribers WHERE status = 'active' AND id > $1 ORDER BY id LIMIT $2",
          [afterId, limit],
        )
      ).rows as SubscriberRow[];
      const blocked = await suppressed(
        pool,
        rows.map((r) => r.email),
      );
      return rows.filter((r) => !blocked.has(r.email)).map(toSubscriber);
    },
    async activeTopicSelections() {
      const rows = (
        await pool.query("SELECT DISTINCT topics FROM subscribers WHERE status = 'active' ORDER BY topics")
      ).rows as { topics: string }[];
      return rows.map((r) => (r.topics === '' ? [] : r.topics.split(';')));
    },
    async countSubscribers(status) {
      const row = await one<{ n: number }>(
        pool,
        status
          ? 'SELECT COUNT(*)::int AS n FROM subscribers WHERE status = $1'
          : 'SELECT COUNT(*)::int AS n FROM subscribers',
        status ? [status] : [],
      );
      return row?.n ?? 0;
    },
    setSubscriberStatus: (id, status, now) => setStatus(pool, id, status, now),
    async recordBounce(id, threshold, now) {
      return inTransaction(pool, async (client) => {
        await client.query('UPDATE subscribers SET bounce_count = bounce_count + 1 WHERE id = $1', [id]);
        await client.query(
          `UPDATE subscribers SET status = 'bounced', status_changed_at = $1
           WHERE id = $2 AND status = 'active' AND bounce_count >= $3`,
          [now, id, threshold],
        );
        return getSubscriber(client, id);
      });
    },
    async clearBounces(id) {
      await pool.query('UPDATE subscribers SET bounce_count = 0 WHERE id = $1 AND bounce_count > 0', [id]);
    },
    async suppressionOf(email) {
      const row = await one<{ reason: SuppressionReason }>(
        pool,
        'SELECT reason FROM suppressions WHERE email_hash = $1',
        [emailHash(email)],
      );
      return row?.reason ?? null;
    },
    async suppress(email, reason, now) {
      await pool.query(
        `INSERT INTO suppressions (email_hash, reason, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (email_hash) DO UPDATE SET reason = excluded.reason WHERE suppressions.reason <> 'erased'`,
        [emailHash(email), reason, now],
      );
    },
    async claimBatch(editionId, request: ClaimRequest) {
      await seed(editionId, request.now);
      // One statement, so one round trip, committed when it returns: lock the next pending rows
      // no other sender holds, drop those whose subscriber is no longer active (as in SQLite,
      // where such a person never gets a row), and move the rest to `sending`.
      const rows = (
        await pool.query(
          `WITH picked AS (
             SELECT d.subscriber_id FROM deliveries d
             WHERE d.edition_id = $1 AND d.state = 'pending'
             ORDER BY d.subscriber_id LIMIT $2 FOR UPDATE SKIP LOCKED
           ), gone AS (
             DELETE FROM deliveries d USING picked p, subscribers s
             WHERE d.edition_id = $1 AND d.subscriber_id = p.subscriber_id
               AND s.id = p.subscriber_id AND s.status <> 'active'
           )
           UPDATE deliveries d SET state = 'sending', attempts = d.attempts + 1, updated_at = $3, claimed_by = $4
           FROM picked p, subscribers s
           WHERE d.edition_id = $1 AND d.subscriber_id = p.subscriber_id
             AND s.id = p.subscriber_id AND s.status = 'active'
           RETURNING s.*`,
          [editionId, request.limit, request.now, senderKey],
        )
      ).rows as SubscriberRow[];
      if (rows.length === 0) return [];
      rows.sort((a, b) => a.id - b.id);
      // The suppression list keeps hashes made in JS (state/suppression.ts), so this half needs the
      // rows first: record each claim's Message-ID, and release any suppressed address (row gone).
      const blocked = (
        await pool.query(
          `WITH v AS (SELECT * FROM unnest($2::int[], $3::text[], $4::text[]) AS v(id, m, h)),
           blocked AS (SELECT v.id FROM v JOIN suppressions x ON x.email_hash = v.h),
           named AS (
             UPDATE deliveries d SET message_id = v.m FROM v
             WHERE d.edition_id = $1 AND d.subscriber_id = v.id AND v.id NOT IN (SELECT id FROM blocked)
           ), released AS (
             DELETE FROM deliveries d USING blocked b
             WHERE d.edition_id = $1 AND d.subscriber_id = b.id AND d.state = 'sending'
           )
           SELECT id FROM blocked`,
          [
            editionId,
            rows.map((r) => r.id),
            rows.map((r) => request.messageIdFor(r.id)),
            rows.map((r) => emailHash(r.email)),
          ],
        )
      ).rows.map((r) => r.id as number);
      return rows.filter((r) => !blocked.includes(r.id)).map(toSubscriber);
    },
    markSent: (e, s, now) => settle(e, s, 'sent', null, now),
    markPending: (e, s, error, now) => settle(e, s, 'pending', error, now),
    markFailed: (e, s, error, now) => settle(e, s, 'failed', error, now),
    async markInDoubt(editionId, subscriberId, error, now) {
      // Given up on by a live sender: no claimant any more, so it reads as in doubt at once.
      await pool.query(
        `UPDATE deliveries SET last_error = $1, updated_at = $2, claimed_by = NULL
         WHERE edition_id = $3 AND subscriber_id = $4 AND state = 'sending'`,
        [error, now, editionId, subscriberId],
      );
    },
    markSkipped: (e, s, reason, now) => settle(e, s, 'skipped', reason, now),
    async releaseInDoubt(editionId, now) {
      const result = await pool.query(
        `UPDATE deliveries d SET state = 'pending', updated_at = $1
         WHERE d.edition_id = $2 AND d.state = 'sending' AND NOT ${claimedByLiveSender}`,
        [now, editionId],
      );
      return result.rowCount ?? 0;
    },
    async getDelivery(editionId, subscriberId) {
      const row = await one<DeliveryRow>(
        pool,
        'SELECT * FROM deliveries WHERE edition_id = $1 AND subscriber_id = $2',
        [editionId, subscriberId],
      );
      return row ? toDelivery(row) : null;
    },
    async countDeliveries(editionId) {
      const counts: Record<DeliveryState, number> = {
        pending: 0,
        sending: 0,
        sent: 0,
        failed: 0,
        skipped: 0,
      };
      const rows = (
        await pool.query(
          'SELECT state, COUNT(*)::int AS n FROM deliveries WHERE edition_id = $1 GROUP BY state',
          [editionId],
        )
      ).rows as { state: DeliveryState; n: number }[];
      for (const row of rows) counts[row.state] = row.n;
      return counts;
    },
    async inDoubt(editionId, limit) {
      const rows = (
        await pool.query(
          `SELECT d.subscriber_id, s.email, d.message_id, d.last_error FROM deliveries d
           JOIN subscribers s ON s.id = d.subscriber_id
           WHERE d.edition_id = $1 AND d.state = 'sending' AND NOT ${claimedByLiveSender}
           ORDER BY d.subscriber_id LIMIT $2`,
          [editionId, limit],
        )
      ).rows;
      return rows.map(
        (r): InDoubtRow => ({
          subscriberId: r.subscriber_id,
          email: r.email,
          messageId: r.message_id,
          reason: r.last_error,
        }),
      );
    },
    async getOrCreateSecret(generate) {
      const candidate = generate();
      const inserted = await pool.query(
        "INSERT INTO delivery_settings (key, value) VALUES ('unsubscribe_secret', $1) ON CONFLICT DO NOTHING",
        [candidate],
      );
      const row = await one<{ value: string }>(
        pool,
        "SELECT value FROM delivery_settings WHERE key = 'unsubscribe_secret'",
        [],
      );
      return { secret: row?.value ?? candidate, created: inserted.rowCount === 1 };
    },
    async readSecret() {
      const row = await one<{ value: string }>(
        pool,
        "SELECT value FROM delivery_settings WHERE key = 'unsubscribe_secret'",
        [],
      );
      return row?.value ?? null;
    },
    async close() {
      await pool.end();
      await holder.end();
    },
    ...postgresAudience(pool),
  };
}

/**
 * Reserves the next send slot of the edition's shared rate budget and returns how long to wait
 * for it (ms). All senders of the edition draw from the one `send_rate` row, on the database's
 * clock, so the budget holds across machines whose clocks disagree and however many join.
 */
export function sharedRateSlot(url: string): {
  reserve(editionId: string, intervalMs: number): Promise<number>;
  close(): Promise<void>;
} {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  return {
    async reserve(editionId, intervalMs) {
      const row = (
        await pool.query(
          `INSERT INTO send_rate AS r (edition_id, next_at) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
           ON CONFLICT (edition_id) DO UPDATE
             SET next_at = GREATEST(r.next_at, clock_timestamp()) + $2 * interval '1 millisecond'
           RETURNING EXTRACT(EPOCH FROM (r.next_at - clock_timestamp())) * 1000 - $2 AS wait_ms`,
          [editionId, intervalMs],
        )
      ).rows[0] as { wait_ms: string | number };
      return Math.max(0, Number(row.wait_ms));
    },
    close: () => pool.end(),
  };
}
