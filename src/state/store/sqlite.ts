import type { Subscriber, SubscriberStatus } from '../../types.ts';
import type { StateDb } from '../db.ts';
import { getStoredEdition, saveEdition } from '../editions.ts';
import * as ledger from '../ledger.ts';
import * as subscribers from '../subscribers.ts';
import { emailHash, ensureSuppressionTables, suppress, suppressionOf } from '../suppression.ts';
import { sqliteAudience } from './audience-sqlite.ts';
import type { ClaimRequest, DeliveryStore, ImportCounts, InDoubtRow } from './types.ts';

/**
 * The embedded default: the existing synchronous SQLite functions behind the async interface.
 * One process sends at a time here (`send` holds a file lock), so a claim needs no row locks.
 */
export function sqliteStore(db: StateDb, options: { closeDb?: boolean } = {}): DeliveryStore {
  ensureSuppressionTables(db);
  // Lets SQL compare an address with the suppression list, which keeps only hashes.
  db.function('email_hash', { deterministic: true }, (email) => emailHash(String(email)));
  const rowOf = (row: Record<string, unknown>) => subscribers.getSubscriber(db, Number(row.id)) as Subscriber;
  return {
    backend: 'sqlite',
    getStoredEdition: async (id) => getStoredEdition(db, id),
    saveEdition: async (stored, storyCount) => saveEdition(db, stored, storyCount),
    addSubscriber: async (input, now) => subscribers.addSubscriber(db, input, now),
    importSubscriber: async (input, now) => subscribers.importSubscriber(db, input, now),
    importSubscribers: async (rows, now) =>
      db.transaction(() => {
        const counts: ImportCounts = { added: 0, statusApplied: 0, unchanged: 0 };
        for (const row of rows) {
          const result = subscribers.importSubscriber(db, row, now);
          if (result.kind === 'added') counts.added++;
          else if (result.kind === 'status-applied') counts.statusApplied++;
          else counts.unchanged++;
        }
        return counts;
      })(),
    getSubscriber: async (id) => subscribers.getSubscriber(db, id),
    findSubscriberByEmail: async (email) => subscribers.findSubscriberByEmail(db, email),
    activeSubscribersAfter: async (afterId, limit) =>
      (
        db
          .prepare(
            `SELECT id FROM subscribers WHERE status = 'active' AND id > ?
             AND email_hash(email) NOT IN (SELECT email_hash FROM suppressions) ORDER BY id LIMIT ?`,
          )
          .all(afterId, limit) as Record<string, unknown>[]
      ).map(rowOf),
    activeTopicSelections: async () =>
      (
        db
          .prepare("SELECT DISTINCT topics FROM subscribers WHERE status = 'active' ORDER BY topics")
          .pluck()
          .all() as string[]
      ).map((topics) => (topics === '' ? [] : topics.split(';'))),
    countSubscribers: async (status?: SubscriberStatus) =>
      Number(
        status
          ? db.prepare('SELECT COUNT(*) FROM subscribers WHERE status = ?').pluck().get(status)
          : db.prepare('SELECT COUNT(*) FROM subscribers').pluck().get(),
      ),
    setSubscriberStatus: async (id, status, now) => subscribers.setSubscriberStatus(db, id, status, now),
    recordBounce: async (id, threshold, now) => subscribers.recordBounce(db, id, threshold, now),
    clearBounces: async (id) => subscribers.clearBounces(db, id),
    suppressionOf: async (email) => suppressionOf(db, email),
    suppress: async (email, reason, now) => suppress(db, email, reason, now),
    claimBatch: async (editionId, request) => claimBatch(db, editionId, request),
    markSent: async (e, s, now) => ledger.markSent(db, e, s, now),
    markPending: async (e, s, error, now) => ledger.markPending(db, e, s, error, now),
    markFailed: async (e, s, error, now) => ledger.markFailed(db, e, s, error, now),
    markInDoubt: async (e, s, error, now) => ledger.markInDoubt(db, e, s, error, now),
    markSkipped: async (e, s, reason, now) => {
      db.prepare(
        `UPDATE deliveries SET state = 'skipped', last_error = ?, updated_at = ?
         WHERE edition_id = ? AND subscriber_id = ? AND state = 'sending'`,
      ).run(reason, now, e, s);
    },
    releaseInDoubt: async (editionId, now) =>
      db
        .prepare(
          `UPDATE deliveries SET state = 'pending', updated_at = ? WHERE edition_id = ? AND state = 'sending'`,
        )
        .run(now, editionId).changes,
    getDelivery: async (e, s) => ledger.getDelivery(db, e, s),
    countDeliveries: async (e) => ledger.countDeliveries(db, e),
    inDoubt: async (editionId, limit) =>
      (
        db
          .prepare(
            `SELECT d.subscriber_id, s.email, d.message_id, d.last_error FROM deliveries d
             JOIN subscribers s ON s.id = d.subscriber_id
             WHERE d.edition_id = ? AND d.state = 'sending' ORDER BY d.subscriber_id LIMIT ?`,
          )
          .all(editionId, limit) as {
          subscriber_id: number;
          email: string;
          message_id: string;
          last_error: string | null;
        }[]
      ).map(
        (r): InDoubtRow => ({
          subscriberId: r.subscriber_id,
          email: r.email,
          messageId: r.message_id,
          reason: r.last_error,
        }),
      ),
    getOrCreateSecret: async (generate) => subscribers.getOrCreateLocalSecret(db, generate),
    readSecret: async () => subscribers.readLocalSecret(db),
    close: async () => {
      if (options.closeDb) db.close();
    },
    ...sqliteAudience(db),
  };
}

/** The next claimable subscribers, claimed with the ledger's own `claimDeliveries` (one commit). */
function claimBatch(db: StateDb, editionId: string, request: ClaimRequest): Subscriber[] {
  const ids = db
    .prepare(
      `SELECT s.id FROM subscribers s
       LEFT JOIN deliveries d ON d.edition_id = ? AND d.subscriber_id = s.id
       WHERE s.status = 'active' AND (d.state IS NULL OR d.state = 'pending')
       AND email_hash(s.email) NOT IN (SELECT email_hash FROM suppressions)
       ORDER BY s.id LIMIT ?`,
    )
    .pluck()
    .all(editionId, request.limit) as number[];
  const claimed = ledger.claimDeliveries(
    db,
    ids.map((id) => ({ editionId, subscriberId: id, messageId: request.messageIdFor(id), now: request.now })),
  );
  return ids.filter((_, i) => claimed[i]).map((id) => subscribers.getSubscriber(db, id) as Subscriber);
}
