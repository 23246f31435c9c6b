import type { DeliveryStore } from '../state/store/index.ts';
import type { Subscriber } from '../types.ts';
import { type Message, messageIdFor } from './message.ts';
import { emptySummary, type SendSummary } from './sender.ts';
import { handOver, type Transport } from './transport.ts';

export interface SharedSendOptions {
  store: DeliveryStore;
  editionId: string;
  listId: string;
  compose(subscriber: Subscriber): Message | null;
  transport: Transport;
  /** Messages in flight at once in this process (the SMTP pool size). */
  concurrency: number;
  /**
   * Waits for this process's next turn in the edition's rate budget, shared by every sender of
   * the edition (`sharedRateSlot`), and resolves when it may hand a message over.
   */
  throttle(): Promise<void>;
  /** Attempts of a temporary failure before the row is failed; `backoffMs * 2^n` between. */
  retries: number;
  backoffMs: number;
  bounceThreshold: number;
  now(): string;
  sleep(ms: number): Promise<void>;
  /** In-doubt rows listed in the summary at most (the count is always exact). */
  inDoubtListed?: number;
  onProgress?(outcome: 'sent' | 'skipped' | 'failed' | 'in-doubt'): void;
}

/**
 * One of possibly many senders of an edition sharing one store (PostgreSQL): claims work from the
 * ledger instead of walking a list, so any number of processes on any number of machines can run
 * it at once and each subscriber is claimed by exactly one of them.
 *
 * Each of `concurrency` lanes waits for a slot of the shared rate budget, then claims one row
 * (claims of lanes that ask in the same turn of the event loop go in one transaction), hands the
 * message over and records the outcome. A claim is committed before the hand-over, so a process
 * killed at any moment leaves at most `concurrency` rows `sending` (in doubt): reported, never
 * resent without `--resend-in-doubt`.
 *
 * A temporary failure puts the row back to `pending` for any sender to claim again (its attempts
 * counted in the row); after `retries` attempts it is failed. Nothing is retried in place, so a
 * lane never holds a claim through a backoff.
 */
export async function sendEditionShared(options: SharedSendOptions): Promise<SendSummary> {
  const { store, editionId } = options;
  const summary = emptySummary();
  const claimNext = createClaimBatcher(options);

  const sendOne = async (subscriber: Subscriber): Promise<void> => {
    const message = options.compose(subscriber);
    if (!message) {
      await store.markSkipped(editionId, subscriber.id, 'no stories in their topics', options.now());
      summary.skipped++;
      options.onProgress?.('skipped');
      return;
    }
    const failure = await handOver(options.transport, message);
    if (!failure) {
      // Outside the try: a failure to record leaves the row `sending` (in doubt) and stops the run.
      await store.markSent(editionId, subscriber.id, options.now());
      if (subscriber.bounceCount > 0) await store.clearBounces(subscriber.id);
      summary.sent++;
      options.onProgress?.('sent');
      return;
    }
    const record = { subscriberId: subscriber.id, email: subscriber.email, error: failure.message };
    if (failure.kind === 'unknown') {
      await store.markInDoubt(editionId, subscriber.id, failure.message, options.now());
      options.onProgress?.('in-doubt');
      return;
    }
    const attempts = (await store.getDelivery(editionId, subscriber.id))?.attempts ?? 1;
    if (failure.kind === 'permanent' || (failure.kind === 'temporary' && attempts > options.retries)) {
      await store.markFailed(editionId, subscriber.id, failure.message, options.now());
      if (failure.kind === 'permanent' && failure.bounce)
        await store.recordBounce(subscriber.id, options.bounceThreshold, options.now());
      summary.failed.push(record);
      options.onProgress?.('failed');
      if (failure.unreachable) summary.aborted ??= `mail server unreachable: ${failure.message}`;
      return;
    }
    // Temporary or fatal: certainly not delivered, back to `pending` for whoever claims it next.
    await store.markPending(editionId, subscriber.id, failure.message, options.now());
    if (failure.kind === 'fatal') {
      summary.aborted ??= failure.message;
      summary.failed.push(record);
      return;
    }
    summary.retried++;
    await options.sleep(options.backoffMs * 2 ** (attempts - 1));
  };

  const lane = async (): Promise<void> => {
    while (!summary.aborted) {
      await options.throttle();
      const subscriber = await claimNext();
      if (!subscriber) return;
      await sendOne(subscriber);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));

  const counts = await store.countDeliveries(editionId);
  summary.alreadySent = counts.sent - summary.sent;
  const listed = await store.inDoubt(editionId, options.inDoubtListed ?? 1000);
  summary.inDoubt = listed.map((row) => ({
    subscriberId: row.subscriberId,
    email: row.email,
    reason: row.reason ?? 'a sender stopped (or is still running) while this message was being handed over',
  }));
  summary.notSent = summary.aborted ? counts.pending : 0;
  return summary;
}

/** Claims asked for in the same turn of the event loop go to the store as one batch. */
function createClaimBatcher(options: SharedSendOptions): () => Promise<Subscriber | null> {
  let waiting: { resolve: (s: Subscriber | null) => void; reject: (e: unknown) => void }[] = [];
  const flush = async () => {
    const batch = waiting;
    waiting = [];
    try {
      const claimed = await options.store.claimBatch(options.editionId, {
        limit: batch.length,
        now: options.now(),
        messageIdFor: (id) => messageIdFor(options.editionId, id, options.listId),
      });
      batch.forEach((entry, i) => {
        entry.resolve(claimed[i] ?? null);
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  };
  return () =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      if (waiting.length === 1) setImmediate(() => void flush());
    });
}
