import type pg from 'pg';
import type { DeliveryState, SubscriberStatus } from '../../types.ts';
import { type SignupRow, toSignup } from '../signups.ts';
import { type SubscriberRow, toSubscriber } from '../subscribers.ts';
import {
  BOUNCE_EVENT_COLUMNS,
  bounceEventValues,
  type EditionCounts,
  emailHash,
  type SuppressionReason,
  type TracedEffect,
  type TracedReport,
} from '../suppression.ts';
import type { AudienceStore, RowImport } from './audience-types.ts';
import { inTransaction } from './postgres.ts';

/** The audience half of the PostgreSQL store (see `AudienceStore`). */
export function postgresAudience(pool: pg.Pool): AudienceStore {
  return {
    async subscribersAfter(afterId, limit, status?: SubscriberStatus) {
      const rows = (
        await pool.query(
          status
            ? 'SELECT * FROM subscribers WHERE id > $1 AND status = $3 ORDER BY id LIMIT $2'
            : 'SELECT * FROM subscribers WHERE id > $1 ORDER BY id LIMIT $2',
          status ? [afterId, limit, status] : [afterId, limit],
        )
      ).rows as SubscriberRow[];
      return rows.map(toSubscriber);
    },
    importSubscriberRows: (rows, now) => inTransaction(pool, (client) => importRows(client, rows, now)),
    async liftSuppression(email) {
      const result = await pool.query(
        "DELETE FROM suppressions WHERE email_hash = $1 AND reason <> 'erased' RETURNING reason",
        [emailHash(email)],
      );
      if (result.rowCount) return true;
      const erased = await pool.query(
        "SELECT 1 FROM suppressions WHERE email_hash = $1 AND reason = 'erased'",
        [emailHash(email)],
      );
      return erased.rowCount === 0;
    },
    async setSubscriberTopics(id, topics) {
      return (
        (await pool.query('UPDATE subscribers SET topics = $1 WHERE id = $2', [topics.join(';'), id]))
          .rowCount === 1
      );
    },
    countAttempts: (keys, now, forgetBefore) =>
      inTransaction(pool, async (client) => {
        await client.query('DELETE FROM signup_attempts WHERE at < $1', [forgetBefore]);
        const counts: number[] = [];
        for (const { key, since } of keys) {
          await client.query('INSERT INTO signup_attempts (key, at) VALUES ($1, $2)', [key, now]);
          const row = (
            await client.query('SELECT COUNT(*)::int AS n FROM signup_attempts WHERE key = $1 AND at >= $2', [
              key,
              since,
            ])
          ).rows[0] as { n: number };
          counts.push(row.n);
        }
        return counts;
      }),
    async purgeExpiredSignups(now) {
      return (await pool.query('DELETE FROM signups WHERE expires_at <= $1', [now])).rowCount ?? 0;
    },
    recordPendingSignup: (input, now, expiresAt) =>
      inTransaction(pool, async (client) => {
        await client.query('DELETE FROM signups WHERE lower(email) = lower($1) AND expires_at <= $2', [
          input.email,
          now,
        ]);
        const row = (
          await client.query(
            `INSERT INTO signups (email, topics, created_at, expires_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT ((lower(email))) DO UPDATE SET topics = excluded.topics, expires_at = excluded.expires_at
             RETURNING *`,
            [input.email, input.topics.join(';'), now, expiresAt],
          )
        ).rows[0] as SignupRow;
        return toSignup(row);
      }),
    async pendingSignup(id, now) {
      const row = (await pool.query('SELECT * FROM signups WHERE id = $1 AND expires_at > $2', [id, now]))
        .rows[0] as SignupRow | undefined;
      return row ? toSignup(row) : null;
    },
    async markSignupMailed(id, now) {
      await pool.query('UPDATE signups SET mailed_at = $1 WHERE id = $2', [now, id]);
    },
    confirmSignup: (signup, now) =>
      inTransaction(pool, async (client) => {
        // As state/signups.ts: on the list, active, with the chosen topics; the link is spent.
        await client.query('DELETE FROM signups WHERE id = $1', [signup.id]);
        const row = (
          await client.query(
            `INSERT INTO subscribers (email, topics, status, created_at) VALUES ($1, $2, 'active', $3)
             ON CONFLICT ((lower(email))) DO UPDATE SET topics = excluded.topics, status = 'active',
               status_changed_at = CASE WHEN subscribers.status = 'active' THEN subscribers.status_changed_at ELSE $3 END
             RETURNING *`,
            [signup.email, signup.topics.join(';'), now],
          )
        ).rows[0] as SubscriberRow;
        return toSubscriber(row);
      }),
    async editionsOf(subscriberId) {
      const rows = (
        await pool.query(
          'SELECT edition_id FROM deliveries WHERE subscriber_id = $1 ORDER BY edition_id DESC',
          [subscriberId],
        )
      ).rows as { edition_id: string }[];
      return rows.map((r) => r.edition_id);
    },
    applyTracedReport: (report, now) => inTransaction(pool, (client) => applyReport(client, report, now)),
    async editionCounts(editionId) {
      const row = (
        await pool.query(
          `SELECT
             (SELECT COUNT(*)::int FROM deliveries WHERE edition_id = $1 AND state = 'sent') AS sent,
             (SELECT COUNT(DISTINCT subscriber_id)::int FROM bounce_events WHERE edition_id = $1 AND kind = 'hard') AS hard,
             (SELECT COUNT(DISTINCT subscriber_id)::int FROM bounce_events WHERE edition_id = $1 AND kind = 'soft') AS soft,
             (SELECT COUNT(DISTINCT subscriber_id)::int FROM bounce_events WHERE edition_id = $1 AND kind = 'complaint') AS complaints,
             (SELECT COUNT(*)::int FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
               WHERE d.edition_id = $1 AND d.state = 'sent' AND s.status = 'unsubscribed'
               AND s.status_changed_at >= d.updated_at) AS unsubscribed`,
          [editionId],
        )
      ).rows[0] as EditionCounts;
      return row;
    },
    async deliveryStatesFor(editionId, ids) {
      const rows = (
        await pool.query(
          'SELECT subscriber_id, state FROM deliveries WHERE edition_id = $1 AND subscriber_id = ANY($2::int[])',
          [editionId, ids],
        )
      ).rows as { subscriber_id: number; state: DeliveryState }[];
      return new Map(rows.map((r) => [r.subscriber_id, r.state]));
    },
    async eraseSubscriber(subscriber, now) {
      await inTransaction(pool, async (client) => {
        await client.query('DELETE FROM subscribers WHERE id = $1', [subscriber.id]);
        await client.query('DELETE FROM signups WHERE lower(email) = lower($1)', [subscriber.email]);
        await client.query(
          `INSERT INTO suppressions (email_hash, reason, created_at) VALUES ($1, 'erased', $2)
           ON CONFLICT (email_hash) DO UPDATE SET reason = 'erased'`,
          [emailHash(subscriber.email), now],
        );
      });
    },
  };
}

/**
 * One import batch in a few set-based statements (a round trip per row would make 1M rows take
 * hours): who is suppressed, who is already there, insert the rest, apply opt-outs. Addresses are
 * matched with PostgreSQL's own lower(), as the unique index is.
 */
async function importRows(
  client: pg.PoolClient,
  rows: { email: string; name?: string | null; topics?: string[]; status?: SubscriberStatus }[],
  now: string,
): Promise<RowImport[]> {
  const emails = rows.map((r) => r.email);
  const statuses = rows.map((r) => r.status ?? 'active');
  const blocked = new Map(
    (
      await client.query('SELECT email_hash, reason FROM suppressions WHERE email_hash = ANY($1)', [
        emails.map(emailHash),
      ])
    ).rows.map((r) => [r.email_hash as string, r.reason as SuppressionReason]),
  );
  const byIndex = async () => {
    const found = new Map<number, SubscriberRow>();
    const result = await client.query(
      `SELECT v.i::int AS i, s.* FROM unnest($1::text[]) WITH ORDINALITY AS v(e, i)
       JOIN subscribers s ON lower(s.email) = lower(v.e)`,
      [emails],
    );
    for (const row of result.rows as (SubscriberRow & { i: number })[]) found.set(row.i - 1, row);
    return found;
  };
  const before = await byIndex();
  const toAdd = rows
    .map((_, i) => i)
    .filter((i) => !before.has(i) && !blocked.has(emailHash(emails[i] as string)));
  if (toAdd.length > 0)
    await client.query(
      `INSERT INTO subscribers (email, name, topics, status, created_at, status_changed_at)
       SELECT e, n, t, s, $5, CASE WHEN s = 'active' THEN NULL ELSE $5 END
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS v(e, n, t, s)
       ON CONFLICT ((lower(email))) DO NOTHING`,
      [
        toAdd.map((i) => emails[i]),
        toAdd.map((i) => rows[i]?.name ?? null),
        toAdd.map((i) => (rows[i]?.topics ?? []).join(';')),
        toAdd.map((i) => statuses[i]),
        now,
      ],
    );
  // An opt-out in the file is always honoured; nothing here makes anyone active again.
  const optOuts = [...before].filter(
    ([i, row]) => row.status === 'active' && statuses[i] !== 'active' && !blocked.has(emailHash(row.email)),
  );
  if (optOuts.length > 0)
    await client.query(
      `UPDATE subscribers s SET status = v.st, status_changed_at = $3
       FROM unnest($1::int[], $2::text[]) AS v(id, st) WHERE s.id = v.id AND s.status = 'active'`,
      [optOuts.map(([, row]) => row.id), optOuts.map(([i]) => statuses[i]), now],
    );
  const after = toAdd.length > 0 ? await byIndex() : before;
  return rows.map((_, i): RowImport => {
    const reason = blocked.get(emailHash(emails[i] as string));
    if (reason) return { kind: 'suppressed', reason };
    const was = before.get(i);
    if (was) {
      const status = statuses[i] as SubscriberStatus;
      const existing = toSubscriber(was);
      if (was.status !== 'active' || status === 'active') return { kind: 'unchanged', existing };
      return { kind: 'status-applied', subscriber: { ...existing, status }, was: existing.status };
    }
    const added = after.get(i);
    if (!added) throw new Error(`subscriber ${emails[i]} neither added nor found`);
    return { kind: 'added', subscriber: toSubscriber(added) };
  });
}

/** `applyTracedReport` of state/suppression.ts on PostgreSQL: the same rule, in one transaction. */
async function applyReport(client: pg.PoolClient, report: TracedReport, now: string): Promise<TracedEffect> {
  const { event } = report;
  const inserted = await client.query(
    `INSERT INTO bounce_events (${BOUNCE_EVENT_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (report_key) DO NOTHING`,
    bounceEventValues(event),
  );
  if (inserted.rowCount !== 1) return 'duplicate';
  if (event.kind === 'soft' && (await softInARow(client, event.subscriberId)) < report.softBounceLimit)
    return 'counted';
  const effect = event.kind === 'complaint' ? 'unsubscribed' : 'bounced';
  if (effect === 'unsubscribed' || report.wasActive)
    await client.query(
      `UPDATE subscribers SET status = $1,
         status_changed_at = CASE WHEN status = $1 THEN status_changed_at ELSE $2 END WHERE id = $3`,
      [effect, now, event.subscriberId],
    );
  await client.query(
    `INSERT INTO suppressions (email_hash, reason, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (email_hash) DO UPDATE SET reason = excluded.reason WHERE suppressions.reason <> 'erased'`,
    [emailHash(report.email), effect === 'unsubscribed' ? 'complained' : 'bounced', now],
  );
  return effect;
}

/** state/suppression.ts `softBouncesInARow`: editions sent, newest first, with a soft bounce, unbroken. */
async function softInARow(client: pg.PoolClient, subscriberId: number): Promise<number> {
  const rows = (
    await client.query(
      `SELECT EXISTS (SELECT 1 FROM bounce_events b WHERE b.subscriber_id = d.subscriber_id
              AND b.edition_id = d.edition_id AND b.kind = 'soft') AS soft
       FROM deliveries d WHERE d.subscriber_id = $1 AND d.state = 'sent' ORDER BY d.edition_id DESC`,
      [subscriberId],
    )
  ).rows as { soft: boolean }[];
  const broken = rows.findIndex((r) => !r.soft);
  return broken < 0 ? rows.length : broken;
}
