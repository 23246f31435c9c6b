import { createHash } from 'node:crypto';
import type { StateDb } from './db.ts';
import { ensureLedgerTable } from './ledger.ts';
import { ensureSubscribersTable, setSubscriberStatus } from './subscribers.ts';

/**
 * The suppression list and the bounce/complaint record.
 *
 * `suppressions` holds addresses that must never be mailed again nor come back by `add` or
 * `import`: hard-bounced, complained, erased. Only a SHA-256 of the lower-cased address is
 * kept, the same for all three, so an erased person leaves nothing readable behind and the
 * check still works. `subscribers add --reactivate` (at the person's request) lifts a bounce or
 * a complaint, never an erasure.
 *
 * `bounce_events` keeps one row per report and recipient (a report imported twice counts once).
 */
export type SuppressionReason = 'bounced' | 'complained' | 'erased';
export type EventKind = 'hard' | 'soft' | 'complaint';

export function ensureSuppressionTables(db: StateDb): void {
  ensureSubscribersTable(db);
  ensureLedgerTable(db);
  db.exec(`
    CREATE TABLE IF NOT EXISTS suppressions (
      email_hash TEXT PRIMARY KEY,
      reason TEXT NOT NULL CHECK (reason IN ('bounced', 'complained', 'erased')),
      created_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS bounce_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      report_key TEXT NOT NULL UNIQUE,
      subscriber_id INTEGER REFERENCES subscribers(id) ON DELETE SET NULL,
      edition_id TEXT,
      kind TEXT NOT NULL CHECK (kind IN ('hard', 'soft', 'complaint')),
      status TEXT,
      reason TEXT NOT NULL,
      source TEXT NOT NULL,
      received_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS bounce_events_by_subscriber ON bounce_events (subscriber_id, edition_id);
  `);
}

/** The key an address is suppressed under: no address is stored, only this. */
export function emailHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

export function suppressionOf(db: StateDb, email: string): SuppressionReason | null {
  ensureSuppressionTables(db);
  const row = db.prepare('SELECT reason FROM suppressions WHERE email_hash = ?').get(emailHash(email)) as
    | { reason: SuppressionReason }
    | undefined;
  return row?.reason ?? null;
}

/** The subscribers whose address is not suppressed (one query for the whole list). */
export function withoutSuppressed<T extends { email: string }>(db: StateDb, subscribers: T[]): T[] {
  ensureSuppressionTables(db);
  const hashes = new Set(
    (db.prepare('SELECT email_hash FROM suppressions').all() as { email_hash: string }[]).map(
      (r) => r.email_hash,
    ),
  );
  return hashes.size === 0 ? subscribers : subscribers.filter((s) => !hashes.has(emailHash(s.email)));
}

/** Adds (or hardens) a suppression. An erasure is never replaced by a weaker reason. */
export function suppress(db: StateDb, email: string, reason: SuppressionReason, now: string): void {
  ensureSuppressionTables(db);
  db.prepare(
    `INSERT INTO suppressions (email_hash, reason, created_at) VALUES (?, ?, ?)
     ON CONFLICT (email_hash) DO UPDATE SET reason = excluded.reason
     WHERE suppressions.reason <> 'erased'`,
  ).run(emailHash(email), reason, now);
}

/** Lifts a bounce or complaint suppression (the person asked to come back); false for an erasure. */
export function liftSuppression(db: StateDb, email: string): boolean {
  ensureSuppressionTables(db);
  const reason = suppressionOf(db, email);
  if (reason === 'erased') return false;
  db.prepare("DELETE FROM suppressions WHERE email_hash = ? AND reason <> 'erased'").run(emailHash(email));
  return true;
}

export interface BounceEvent {
  reportKey: string;
  subscriberId: number | null;
  editionId: string | null;
  kind: EventKind;
  status: string | null;
  reason: string;
  source: string;
  receivedAt: string;
}

/** Records one event; false when this report (for this recipient) was recorded before. */
/** The bounce_events columns an event fills, in the order of `bounceEventValues` (both backends). */
export const BOUNCE_EVENT_COLUMNS =
  'report_key, subscriber_id, edition_id, kind, status, reason, source, received_at';

export function bounceEventValues(event: BounceEvent): (string | number | null)[] {
  return [
    event.reportKey,
    event.subscriberId,
    event.editionId,
    event.kind,
    event.status,
    event.reason,
    event.source,
    event.receivedAt,
  ];
}

export function recordBounceEvent(db: StateDb, event: BounceEvent): boolean {
  ensureSuppressionTables(db);
  const info = db
    .prepare(
      `INSERT INTO bounce_events (${BOUNCE_EVENT_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (report_key) DO NOTHING`,
    )
    .run(...bounceEventValues(event));
  return info.changes === 1;
}

/**
 * How many of the last editions sent to this subscriber, newest first and without a gap, had
 * a soft bounce: "N soft bounces in a row" counts editions, so three reports about one edition
 * are one, and an edition that went through (no report) breaks the run.
 */
export function softBouncesInARow(db: StateDb, subscriberId: number): number {
  ensureSuppressionTables(db);
  const rows = db
    .prepare(
      `SELECT d.edition_id AS edition,
              EXISTS (SELECT 1 FROM bounce_events b WHERE b.subscriber_id = d.subscriber_id
                      AND b.edition_id = d.edition_id AND b.kind = 'soft') AS soft
       FROM deliveries d WHERE d.subscriber_id = ? AND d.state = 'sent' ORDER BY d.edition_id DESC`,
    )
    .all(subscriberId) as { edition: string; soft: number }[];
  let run = 0;
  for (const row of rows) {
    if (!row.soft) break;
    run++;
  }
  return run;
}

/** Which edition a VERP tag names, among the editions this subscriber was sent. */
export function editionSentWithTag(
  db: StateDb,
  subscriberId: number,
  matches: (editionId: string) => boolean,
): string | null {
  ensureSuppressionTables(db);
  const rows = db
    .prepare('SELECT edition_id FROM deliveries WHERE subscriber_id = ? ORDER BY edition_id DESC')
    .all(subscriberId) as { edition_id: string }[];
  return rows.find((row) => matches(row.edition_id))?.edition_id ?? null;
}

/** The delivery a Message-ID belongs to (the ledger stores each message's id). */
export function deliveryByMessageId(
  db: StateDb,
  messageId: string,
): { editionId: string; subscriberId: number } | null {
  ensureSuppressionTables(db);
  const row = db
    .prepare('SELECT edition_id, subscriber_id FROM deliveries WHERE message_id = ?')
    .get(messageId) as { edition_id: string; subscriber_id: number } | undefined;
  return row ? { editionId: row.edition_id, subscriberId: row.subscriber_id } : null;
}

export interface EditionCounts {
  sent: number;
  hard: number;
  soft: number;
  complaints: number;
  unsubscribed: number;
}

/**
 * For `broadsheet report`: messages sent (the ledger), subscribers with a hard or soft bounce
 * and complaints (events traced to the edition), and unsubscribes among its recipients (those
 * now unsubscribed whose status changed after the edition was sent to them).
 */
export function editionCounts(db: StateDb, editionId: string): EditionCounts {
  ensureSuppressionTables(db);
  const count = (sql: string) => (db.prepare(sql).get(editionId) as { n: number }).n;
  const distinct = (kind: EventKind) =>
    count(
      `SELECT COUNT(DISTINCT subscriber_id) AS n FROM bounce_events WHERE edition_id = ? AND kind = '${kind}'`,
    );
  return {
    sent: count("SELECT COUNT(*) AS n FROM deliveries WHERE edition_id = ? AND state = 'sent'"),
    hard: distinct('hard'),
    soft: distinct('soft'),
    complaints: distinct('complaint'),
    unsubscribed: count(
      `SELECT COUNT(*) AS n FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.edition_id = ? AND d.state = 'sent' AND s.status = 'unsubscribed'
       AND s.status_changed_at >= d.updated_at`,
    ),
  };
}

/** What one traced report did to its subscriber (see `applyTracedReport`). */
export type TracedEffect = 'duplicate' | 'unsubscribed' | 'bounced' | 'counted';

export interface TracedReport {
  event: BounceEvent & { subscriberId: number; kind: EventKind };
  email: string;
  /** The subscriber's status when the report was read: only an active one becomes `bounced`. */
  wasActive: boolean;
  /** Soft bounces in a row (editions) that bounce a subscriber. */
  softBounceLimit: number;
}

/**
 * Records one traced report and applies it, in one transaction; a report seen before does
 * nothing. A complaint ends the subscription (even after a bounce) and suppresses the address; a
 * hard bounce, or the `softBounceLimit`-th soft one in a row (this report's edition counted),
 * bounces it. The PostgreSQL store follows the same rule (store/audience-postgres.ts).
 */
export function applyTracedReport(db: StateDb, report: TracedReport, now: string): TracedEffect {
  const { event } = report;
  return db.transaction((): TracedEffect => {
    if (!recordBounceEvent(db, event)) return 'duplicate';
    if (event.kind === 'soft' && softBouncesInARow(db, event.subscriberId) < report.softBounceLimit)
      return 'counted';
    const effect = event.kind === 'complaint' ? 'unsubscribed' : 'bounced';
    if (effect === 'unsubscribed' || report.wasActive)
      setSubscriberStatus(db, event.subscriberId, effect, now);
    suppress(db, report.email, effect === 'unsubscribed' ? 'complained' : 'bounced', now);
    return effect;
  })();
}

/** The edition ids this subscriber has a ledger row for, newest first (a VERP tag is matched among them). */
export function editionsOf(db: StateDb, subscriberId: number): string[] {
  ensureSuppressionTables(db);
  return db
    .prepare('SELECT edition_id FROM deliveries WHERE subscriber_id = ? ORDER BY edition_id DESC')
    .pluck()
    .all(subscriberId) as string[];
}
