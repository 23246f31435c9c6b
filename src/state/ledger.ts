import type { Delivery, DeliveryState } from '../types.ts';
import { preparedOnce, type StateDb } from './db.ts';
import { ensureSubscribersTable } from './subscribers.ts';

/**
 * The delivery ledger: one row per (edition, subscriber), the only memory of what was sent.
 *
 *   (no row) / pending ──claim──▶ sending ──accepted──▶ sent
 *                                   │ ├──4xx / not connected──▶ pending   (safe to try again)
 *                                   │ └──5xx for this recipient──▶ failed (never retried)
 *                                   └──outcome unknown / process killed──▶ stays `sending`
 *
 * A row is moved to `sending` and committed (synchronous=FULL, see db.ts) BEFORE the message
 * is handed to the transport. So after a crash at any moment, a row that is not `sending` tells
 * the truth, and a `sending` row is "in doubt": the server may or may not have accepted it.
 * In-doubt rows are never resent automatically (that could deliver twice); they are reported
 * and resent only with an explicit `--resend-in-doubt`.
 */
export function ensureLedgerTable(db: StateDb): void {
  if (ready.has(db)) return;
  ensureSubscribersTable(db);
  db.exec(`
    CREATE TABLE IF NOT EXISTS deliveries (
      edition_id TEXT NOT NULL,
      subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
      state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
      message_id TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (edition_id, subscriber_id)
    ) WITHOUT ROWID;
  `);
  ready.add(db);
}

/** Connections whose table is known to be there (the check runs once per connection, not per message). */
const ready = new WeakSet<StateDb>();

export interface DeliveryRow {
  edition_id: string;
  subscriber_id: number;
  state: DeliveryState;
  message_id: string;
  attempts: number;
  last_error: string | null;
  updated_at: string;
}

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    editionId: row.edition_id,
    subscriberId: row.subscriber_id,
    state: row.state,
    messageId: row.message_id,
    attempts: row.attempts,
    lastError: row.last_error,
    updatedAt: row.updated_at,
  };
}

export function getDelivery(db: StateDb, editionId: string, subscriberId: number): Delivery | null {
  ensureLedgerTable(db);
  const row = db
    .prepare('SELECT * FROM deliveries WHERE edition_id = ? AND subscriber_id = ?')
    .get(editionId, subscriberId) as DeliveryRow | undefined;
  return row ? toDelivery(row) : null;
}

/** All rows of one edition, keyed by subscriber id. */
export function deliveriesOf(db: StateDb, editionId: string): Map<number, Delivery> {
  ensureLedgerTable(db);
  const rows = db
    .prepare('SELECT * FROM deliveries WHERE edition_id = ? ORDER BY subscriber_id')
    .all(editionId) as DeliveryRow[];
  return new Map(rows.map((row) => [row.subscriber_id, toDelivery(row)]));
}

export interface Claim {
  editionId: string;
  subscriberId: number;
  messageId: string;
  now: string;
  /** Also take a row left `sending` (in doubt): only on the user's explicit request. */
  includeInDoubt?: boolean;
}

/**
 * Atomically moves the row to `sending` if it may be sent (no row yet, or `pending`) and the
 * subscriber is still `active`, and commits before returning. False when it may not: already
 * sent, failed, skipped, in doubt, claimed by another `send` running at the same time, or the
 * person unsubscribed (or bounced) after the run read the list: a long run must not mail someone
 * whose unsubscribe `serve` committed minutes ago, so the status is checked in the same statement.
 */
export function claimDelivery(db: StateDb, claim: Claim): boolean {
  ensureLedgerTable(db);
  const { sql, params } = claimStep(claim);
  return preparedOnce(db, sql).run(...params).changes === 1;
}

/** One statement of the ledger, as a connection (this one, or the commit thread's) runs it. */
export interface LedgerStep {
  sql: string;
  params: (string | number | null)[];
}

function claimStep(claim: Claim): LedgerStep {
  const claimable = claim.includeInDoubt ? "('pending', 'sending')" : "('pending')";
  return {
    sql: `INSERT INTO deliveries (edition_id, subscriber_id, state, message_id, attempts, updated_at)
       SELECT ?, id, 'sending', ?, 1, ? FROM subscribers WHERE id = ? AND status = 'active'
       ON CONFLICT (edition_id, subscriber_id) DO UPDATE
         SET state = 'sending', attempts = attempts + 1, updated_at = excluded.updated_at
         WHERE deliveries.state IN ${claimable}`,
    params: [claim.editionId, claim.messageId, claim.now, claim.subscriberId],
  };
}

function settleStep(
  editionId: string,
  subscriberId: number,
  state: DeliveryState,
  error: string | null,
  now: string,
): LedgerStep {
  return {
    sql: `UPDATE deliveries SET state = ?, last_error = ?, updated_at = ?
       WHERE edition_id = ? AND subscriber_id = ? AND state = 'sending'`,
    params: [state, error, now, editionId, subscriberId],
  };
}

/**
 * Several claims in one transaction: one fsync for all of them. Each claimed row is about to be
 * handed over by a lane of its own, so a crash still leaves at most one in-doubt row per lane.
 */
export function claimDeliveries(db: StateDb, claims: Claim[]): boolean[] {
  return recordSentAndClaim(db, [], claims);
}

export interface SentRow {
  editionId: string;
  subscriberId: number;
  now: string;
}

/**
 * The sender's group commit: rows just accepted by the server become `sent` and the next rows
 * become `sending`, in one transaction. With claims in it, it is committed with the claims' own
 * fsync (synchronous=FULL), which also makes the `sent` rows durable at no extra cost; with only
 * `sent` rows, it is committed as `markSent` is (no fsync of its own, see `settle`).
 * True for each claim taken, as `claimDelivery`.
 */
export function recordSentAndClaim(db: StateDb, sent: SentRow[], claims: Claim[]): boolean[] {
  ensureLedgerTable(db);
  const { steps, durable } = groupCommit(sent, claims);
  const write = db.transaction(() =>
    steps.map((step) => preparedOnce(db, step.sql).run(...step.params).changes),
  );
  const changes = durable ? write() : withoutOwnFsync(db, write);
  return changes.slice(sent.length).map((n) => n === 1);
}

/**
 * The statements of `recordSentAndClaim`, in order (the `sent` rows first, then one per claim),
 * and whether the commit needs its own fsync (it does when it claims). The commit thread runs
 * exactly these, so both paths write the same rows the same way.
 */
export function groupCommit(sent: SentRow[], claims: Claim[]): { steps: LedgerStep[]; durable: boolean } {
  return {
    steps: [
      ...sent.map((row) => settleStep(row.editionId, row.subscriberId, 'sent', null, row.now)),
      ...claims.map(claimStep),
    ],
    durable: claims.length > 0,
  };
}

/**
 * Moves a row out of `sending`. Only the claim needs its own fsync: if a power cut loses an
 * outcome written here, the row falls back to `sending`, which reads as "in doubt", the safe
 * side (reported, never resent). So outcomes are committed with synchronous=NORMAL (in WAL
 * mode: durable across a killed process, flushed to disk by the next claim's fsync), which
 * halves the fsyncs per message. The claim stays FULL.
 */
function settle(
  db: StateDb,
  editionId: string,
  subscriberId: number,
  state: DeliveryState,
  error: string | null,
  now: string,
): void {
  ensureLedgerTable(db);
  const step = settleStep(editionId, subscriberId, state, error, now);
  withoutOwnFsync(db, () => preparedOnce(db, step.sql).run(...step.params));
}

function withoutOwnFsync<T>(db: StateDb, write: () => T): T {
  // The level can only change outside a transaction; inside one, the caller's commit decides.
  if (db.inTransaction) return write();
  // Not prepared once: SQLite applies a pragma's new value when compiling it, not when running it.
  const level = db.pragma('synchronous', { simple: true });
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma(`synchronous = ${Number(level)}`);
  }
}

/** The server accepted the message. */
export function markSent(db: StateDb, editionId: string, subscriberId: number, now: string): void {
  settle(db, editionId, subscriberId, 'sent', null, now);
}

/** Definitely not delivered (refused with 4xx, or never connected): the next attempt may send it. */
export function markPending(
  db: StateDb,
  editionId: string,
  subscriberId: number,
  error: string,
  now: string,
): void {
  settle(db, editionId, subscriberId, 'pending', error, now);
}

/** Refused for good (5xx): never retried for this edition. */
export function markFailed(
  db: StateDb,
  editionId: string,
  subscriberId: number,
  error: string,
  now: string,
): void {
  settle(db, editionId, subscriberId, 'failed', error, now);
}

/** The outcome is unknown: the row stays `sending` (in doubt), with the reason kept for the report. */
export function markInDoubt(
  db: StateDb,
  editionId: string,
  subscriberId: number,
  error: string,
  now: string,
): void {
  settle(db, editionId, subscriberId, 'sending', error, now);
}

/** Nothing to send this subscriber (no stories in their topics); recorded once, never overwrites. */
export function markSkipped(
  db: StateDb,
  editionId: string,
  subscriberId: number,
  messageId: string,
  reason: string,
  now: string,
): boolean {
  ensureLedgerTable(db);
  // A lost skip is decided again next run, the same way: no fsync of its own needed.
  const info = withoutOwnFsync(db, () =>
    db
      .prepare(
        `INSERT INTO deliveries (edition_id, subscriber_id, state, message_id, attempts, last_error, updated_at)
         VALUES (?, ?, 'skipped', ?, 0, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(editionId, subscriberId, messageId, reason, now),
  );
  return info.changes === 1;
}

/** How many rows of an edition are in each state. */
export function countDeliveries(db: StateDb, editionId: string): Record<DeliveryState, number> {
  ensureLedgerTable(db);
  const counts: Record<DeliveryState, number> = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  const rows = db
    .prepare('SELECT state, COUNT(*) AS n FROM deliveries WHERE edition_id = ? GROUP BY state')
    .all(editionId) as { state: DeliveryState; n: number }[];
  for (const row of rows) counts[row.state] = row.n;
  return counts;
}
