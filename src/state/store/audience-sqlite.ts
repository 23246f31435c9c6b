import type { DeliveryState } from '../../types.ts';
import type { StateDb } from '../db.ts';
import {
  confirmSignup,
  countAttempts,
  eraseSubscriber,
  markSignupMailed,
  pendingSignup,
  purgeExpiredSignups,
  recordPendingSignup,
} from '../signups.ts';
import { importSubscriber, listSubscribersAfter, setSubscriberTopics } from '../subscribers.ts';
import {
  applyTracedReport,
  editionCounts,
  editionsOf,
  liftSuppression,
  suppressionOf,
} from '../suppression.ts';
import type { AudienceStore, RowImport } from './audience-types.ts';

/** The audience half of the SQLite store: the existing synchronous functions, made async. */
export function sqliteAudience(db: StateDb): AudienceStore {
  return {
    subscribersAfter: async (afterId, limit, status) => listSubscribersAfter(db, afterId, limit, status),
    importSubscriberRows: async (rows, now) =>
      db.transaction(() =>
        rows.map((row): RowImport => {
          const reason = suppressionOf(db, row.email);
          return reason ? { kind: 'suppressed', reason } : importSubscriber(db, row, now);
        }),
      )(),
    liftSuppression: async (email) => liftSuppression(db, email),
    eraseSubscriber: async (subscriber, now) => eraseSubscriber(db, subscriber, now),
    setSubscriberTopics: async (id, topics) => setSubscriberTopics(db, id, topics),
    countAttempts: async (keys, now, forgetBefore) => countAttempts(db, keys, now, forgetBefore),
    purgeExpiredSignups: async (now) => purgeExpiredSignups(db, now),
    recordPendingSignup: async (input, now, expiresAt) => recordPendingSignup(db, input, now, expiresAt),
    pendingSignup: async (id, now) => pendingSignup(db, id, now),
    markSignupMailed: async (id, now) => markSignupMailed(db, id, now),
    confirmSignup: async (signup, now) => confirmSignup(db, signup, now),
    editionsOf: async (subscriberId) => editionsOf(db, subscriberId),
    applyTracedReport: async (report, now) => applyTracedReport(db, report, now),
    editionCounts: async (editionId) => editionCounts(db, editionId),
    deliveryStatesFor: async (editionId, ids) => {
      const rows = db
        .prepare(
          `SELECT subscriber_id, state FROM deliveries
           WHERE edition_id = ? AND subscriber_id IN (SELECT value FROM json_each(?))`,
        )
        .all(editionId, JSON.stringify(ids)) as { subscriber_id: number; state: DeliveryState }[];
      return new Map(rows.map((r) => [r.subscriber_id, r.state]));
    },
  };
}
