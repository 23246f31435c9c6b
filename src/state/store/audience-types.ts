import type { DeliveryState, Subscriber, SubscriberStatus } from '../../types.ts';
import type { PendingSignup } from '../signups.ts';
import type { ImportResult, NewSubscriber } from '../subscribers.ts';
import type { EditionCounts, SuppressionReason, TracedEffect, TracedReport } from '../suppression.ts';

/**
 * What the audience commands (`subscribers`, `bounces`, `report`) and serve's reader routes need
 * from the state beyond sending; part of `DeliveryStore`, so they run on SQLite or PostgreSQL.
 */
export interface AudienceStore {
  /** A page of subscribers with id > afterId (all, or of one status), in id order: never the whole list. */
  subscribersAfter(afterId: number, limit: number, status?: SubscriberStatus): Promise<Subscriber[]>;
  /**
   * One batch of an import, in one transaction, one outcome per row in order. A suppressed
   * address (bounced, complained, erased) is not added; otherwise as `importSubscriber`.
   */
  importSubscriberRows(rows: NewSubscriber[], now: string): Promise<RowImport[]>;
  /** Lifts a bounce or complaint suppression (the person asked to come back); false for an erasure. */
  liftSuppression(email: string): Promise<boolean>;
  /** A GDPR erasure: the row, its deliveries and any pending signup go; only a hash stays, suppressed. */
  eraseSubscriber(subscriber: Pick<Subscriber, 'id' | 'email'>, now: string): Promise<void>;
  /** The ledger states of these subscribers for the edition (absent: no row), for a dry run. */
  deliveryStatesFor(editionId: string, subscriberIds: number[]): Promise<Map<number, DeliveryState>>;
  /** The edition ids this subscriber has a ledger row for, newest first. */
  editionsOf(subscriberId: number): Promise<string[]>;
  /** Records a traced bounce or complaint and applies it (state/suppression.ts `applyTracedReport`). */
  applyTracedReport(report: TracedReport, now: string): Promise<TracedEffect>;
  /** Sent, bounced, complained and unsubscribed for `broadsheet report`. */
  editionCounts(editionId: string): Promise<EditionCounts>;

  // serve's signup and preferences routes (state/signups.ts has the rules, in SQLite).
  setSubscriberTopics(id: number, topics: string[]): Promise<boolean>;
  /** Counts one request under each key; how many each key had since its `since`. */
  countAttempts(keys: { key: string; since: string }[], now: string, forgetBefore: string): Promise<number[]>;
  purgeExpiredSignups(now: string): Promise<number>;
  recordPendingSignup(
    input: { email: string; topics: string[] },
    now: string,
    expiresAt: string,
  ): Promise<PendingSignup>;
  pendingSignup(id: number, now: string): Promise<PendingSignup | null>;
  markSignupMailed(id: number, now: string): Promise<void>;
  confirmSignup(signup: PendingSignup, now: string): Promise<Subscriber>;
}

export type RowImport = ImportResult | { kind: 'suppressed'; reason: SuppressionReason };
