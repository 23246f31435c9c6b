import type { Delivery, DeliveryState, Subscriber, SubscriberStatus } from '../../types.ts';
import type { StoredEdition } from '../editions.ts';
import type { AddResult, ImportResult, NewSubscriber } from '../subscribers.ts';
import type { SuppressionReason } from '../suppression.ts';
import type { AudienceStore } from './audience-types.ts';

/**
 * What `send` (and a second machine sending the same edition) needs from the state, async so
 * that one interface fits the embedded SQLite file and a PostgreSQL server alike.
 *
 * The ledger rules are those of `state/ledger.ts`: a row is `sending` (committed) before its
 * message is handed over; `sending` after a crash means "in doubt", never resent unless asked.
 */
export interface DeliveryStore extends AudienceStore {
  readonly backend: 'sqlite' | 'postgres';

  /** The recorded edition by id, or the most recently built one for 'latest'. */
  getStoredEdition(id: string | 'latest'): Promise<StoredEdition | null>;
  saveEdition(stored: StoredEdition, storyCount: number): Promise<void>;

  addSubscriber(input: NewSubscriber, now: string): Promise<AddResult>;
  importSubscriber(input: NewSubscriber, now: string): Promise<ImportResult>;
  /** Many rows in one transaction (an import streams batches of these): counts per outcome. */
  importSubscribers(rows: NewSubscriber[], now: string): Promise<ImportCounts>;
  getSubscriber(id: number): Promise<Subscriber | null>;
  findSubscriberByEmail(email: string): Promise<Subscriber | null>;
  /** Active, unsuppressed subscribers with id > afterId, in id order: a page, never the whole list. */
  activeSubscribersAfter(afterId: number, limit: number): Promise<Subscriber[]>;
  /** The distinct topic selections among active subscribers (what the edition is rendered for). */
  activeTopicSelections(): Promise<string[][]>;
  countSubscribers(status?: SubscriberStatus): Promise<number>;
  setSubscriberStatus(id: number, status: SubscriberStatus, now: string): Promise<boolean>;
  recordBounce(id: number, threshold: number, now: string): Promise<Subscriber | null>;
  clearBounces(id: number): Promise<void>;

  suppressionOf(email: string): Promise<SuppressionReason | null>;
  suppress(email: string, reason: SuppressionReason, now: string): Promise<void>;

  /**
   * Claims up to `limit` deliveries of the edition for this caller and commits before returning:
   * each returned subscriber's row is `sending`. Only active, unsuppressed subscribers with no row
   * or a `pending` one are claimed; concurrent callers (other processes, other machines) never
   * get the same row.
   */
  claimBatch(editionId: string, request: ClaimRequest): Promise<Subscriber[]>;
  markSent(editionId: string, subscriberId: number, now: string): Promise<void>;
  markPending(editionId: string, subscriberId: number, error: string, now: string): Promise<void>;
  markFailed(editionId: string, subscriberId: number, error: string, now: string): Promise<void>;
  markInDoubt(editionId: string, subscriberId: number, error: string, now: string): Promise<void>;
  /** A claimed row with nothing to send (no stories in their topics): `sending` -> `skipped`. */
  markSkipped(editionId: string, subscriberId: number, reason: string, now: string): Promise<void>;
  /** `--resend-in-doubt`: every in-doubt row (as `inDoubt` counts them) back to `pending`; how many. */
  releaseInDoubt(editionId: string, now: string): Promise<number>;
  getDelivery(editionId: string, subscriberId: number): Promise<Delivery | null>;
  countDeliveries(editionId: string): Promise<Record<DeliveryState, number>>;
  /**
   * Rows left `sending` (in doubt), in subscriber order, at most `limit`. With many senders only
   * rows whose sender is gone (or gave up on them): another sender's message in flight is not in doubt.
   */
  inDoubt(editionId: string, limit: number): Promise<InDoubtRow[]>;

  /** The local unsubscribe secret (made once by `generate`), as `getOrCreateLocalSecret`. */
  getOrCreateSecret(generate: () => string): Promise<{ secret: string; created: boolean }>;
  readSecret(): Promise<string | null>;

  close(): Promise<void>;
}

export interface ClaimRequest {
  limit: number;
  now: string;
  /** The Message-ID recorded with each claimed row. */
  messageIdFor(subscriberId: number): string;
}

export interface ImportCounts {
  added: number;
  statusApplied: number;
  unchanged: number;
}

export interface InDoubtRow {
  subscriberId: number;
  email: string;
  messageId: string;
  reason: string | null;
}
