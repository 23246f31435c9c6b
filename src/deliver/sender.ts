import type { StateDb } from '../state/index.ts';
import {
  type Claim,
  clearBounces,
  deliveriesOf,
  type LedgerCommits,
  ledgerCommits,
  markFailed,
  markInDoubt,
  markPending,
  markSent,
  markSkipped,
  recordBounce,
  type SentRow,
} from '../state/index.ts';
import type { Subscriber } from '../types.ts';
import { type Message, messageIdFor } from './message.ts';
import { createRateLimiter } from './rate-limit.ts';
import { handOver, type InDoubtOutcome, type Transport } from './transport.ts';

export interface SendEditionOptions {
  db: StateDb;
  editionId: string;
  listId: string;
  /** The people to consider, in order; only `active` ones are sent to. */
  subscribers: Subscriber[];
  /** This subscriber's message, or null when nothing in the edition is for them (skipped). */
  compose(subscriber: Subscriber): Message | null;
  transport: Transport;
  /** Messages in flight at once (the SMTP pool size). */
  concurrency: number;
  ratePerSecond: number;
  /** Retries of a temporary failure, spaced `backoffMs * 2^n` apart. */
  retries: number;
  backoffMs: number;
  bounceThreshold: number;
  /** Resend rows left `sending` by an earlier run (in doubt). Only on explicit request. */
  resendInDoubt: boolean;
  /** ISO timestamp for ledger rows. */
  now(): string;
  /** Monotonic ms, and a sleep, for the rate limit and backoff (tests pass fakes). */
  clock(): number;
  sleep(ms: number): Promise<void>;
  onProgress?(event: ProgressEvent): void;
  /**
   * Where the claims and `sent` rows are committed; by default `ledgerCommits(db)`, a thread of
   * its own on the state file, opened and closed by this run. One passed in is closed by its owner.
   */
  commits?: LedgerCommits;
}

export type Outcome = 'sent' | 'already-sent' | 'skipped' | 'failed' | 'pending' | 'in-doubt' | 'not-sent';

export interface ProgressEvent {
  subscriber: Subscriber;
  outcome: Outcome;
  detail?: string;
}

export interface InDoubt {
  subscriberId: number;
  email: string;
  reason: string;
}

export interface SendSummary {
  sent: number;
  /** Sent by an earlier run (ledger says `sent`). */
  alreadySent: number;
  /** No stories for their topics, or not active. */
  skipped: number;
  /** Temporary failures that were tried again. */
  retried: number;
  /** Failed this run (5xx, or 4xx after all retries), plus earlier permanent failures. */
  failed: { subscriberId: number; email: string; error: string }[];
  /**
   * Tried, certainly not delivered, and left `pending` for the next run: the run stopped (bad
   * credentials, an unreachable server) before anyone got it. Not a failure of the address.
   */
  pending: { subscriberId: number; email: string; error: string }[];
  /** Left `sending`: may or may not have arrived; not resent without `--resend-in-doubt`. */
  inDoubt: InDoubt[];
  /** Not attempted because the run stopped (`aborted`). */
  notSent: number;
  /** Why the run stopped early (a fatal error), or null. */
  aborted: string | null;
}

/** A summary of nothing done yet, for a sender to fill in. */
export function emptySummary(): SendSummary {
  return {
    sent: 0,
    alreadySent: 0,
    skipped: 0,
    retried: 0,
    failed: [],
    pending: [],
    inDoubt: [],
    notSent: 0,
    aborted: null,
  };
}

/**
 * Sends one edition to everyone who should have it and has not, driven by the ledger, so it can
 * be run again at any time (after a crash, a kill -9, a network outage) and delivers the rest
 * and nobody twice. See `state/ledger.ts` for the states and why `sending` means "in doubt".
 */
export async function sendEdition(options: SendEditionOptions): Promise<SendSummary> {
  const { db, editionId } = options;
  const summary = emptySummary();
  const ledger = deliveriesOf(db, editionId);
  const throttle = createRateLimiter(options.ratePerSecond, options.clock, options.sleep);
  const report = (subscriber: Subscriber, outcome: Outcome, detail?: string) =>
    options.onProgress?.({ subscriber, outcome, ...(detail ? { detail } : {}) });

  const queue: Subscriber[] = [];
  for (const subscriber of options.subscribers) {
    const row = ledger.get(subscriber.id);
    if (row?.state === 'sent') {
      summary.alreadySent++;
      report(subscriber, 'already-sent');
    } else if (row?.state === 'skipped' || subscriber.status !== 'active') {
      summary.skipped++;
      report(subscriber, 'skipped');
    } else if (row?.state === 'failed') {
      summary.failed.push({
        subscriberId: subscriber.id,
        email: subscriber.email,
        error: row.lastError ?? 'failed',
      });
      report(subscriber, 'failed', row.lastError ?? undefined);
    } else if (row?.state === 'sending') {
      // In doubt: settled by what the transport can see (the outbox's files), else reported
      // and left alone unless the user asked for a resend.
      const settled = settleInDoubt(options, subscriber);
      if (settled === 'delivered') {
        markSent(db, editionId, subscriber.id, options.now());
        summary.alreadySent++;
        report(subscriber, 'already-sent', 'was in doubt; its message is in the outbox');
      } else if (settled === 'not-delivered') {
        markPending(
          db,
          editionId,
          subscriber.id,
          'was in doubt; its message was never written',
          options.now(),
        );
        queue.push(subscriber);
      } else if (options.resendInDoubt) {
        queue.push(subscriber);
      } else {
        const reason = row.lastError ?? 'a previous run stopped while this message was being handed over';
        summary.inDoubt.push({ subscriberId: subscriber.id, email: subscriber.email, reason });
        report(subscriber, 'in-doubt', reason);
      }
    } else {
      queue.push(subscriber);
    }
  }

  // Twice as many lanes as connections: while `concurrency` messages are on the wire, as many
  // wait in the transport's queue, so a connection that finishes one starts the next at once
  // instead of idling while a lane composes and claims. See `createGroupCommit` for the ledger.
  const lanes = Math.max(1, Math.min(2 * options.concurrency, queue.length));
  let inFlight = 0;
  const commits = options.commits ?? ledgerCommits(db);
  const ledgerWrites = createGroupCommit(commits, {
    batch: Math.max(1, options.concurrency),
    inFlight: () => inFlight,
  });
  const sendOne = async (subscriber: Subscriber): Promise<Outcome> => {
    const message = options.compose(subscriber);
    const messageId = message?.messageId ?? messageIdFor(editionId, subscriber.id, options.listId);
    if (!message) {
      markSkipped(db, editionId, subscriber.id, messageId, 'no stories in their topics', options.now());
      summary.skipped++;
      return 'skipped';
    }
    for (let attempt = 0; ; attempt++) {
      await throttle();
      if (summary.aborted) return 'not-sent';
      // Committed before a single byte leaves: from here until the outcome is recorded the
      // row says `sending`, which is exactly what a crash in between must leave behind.
      const claim = { editionId, subscriberId: subscriber.id, messageId, now: options.now() };
      if (!(await ledgerWrites.claim({ ...claim, includeInDoubt: options.resendInDoubt }))) {
        // Another `send` took it (or finished it) meanwhile, or the person unsubscribed since
        // the list was read: nothing to send.
        summary.skipped++;
        return 'skipped';
      }
      inFlight++;
      const failure = await handOver(options.transport, message).finally(() => {
        inFlight--;
        ledgerWrites.poke();
      });
      if (!failure) {
        // Written with the next group of claims (see createGroupCommit). If recording fails, the
        // row stays `sending` (in doubt) and the run stops loudly, rather than the message
        // being treated as not delivered.
        ledgerWrites.sent({ editionId, subscriberId: subscriber.id, now: options.now() });
        if (subscriber.bounceCount > 0) clearBounces(db, subscriber.id);
        summary.sent++;
        return 'sent';
      }
      const error = failure;
      const failed = { subscriberId: subscriber.id, email: subscriber.email, error: error.message };
      if (error.kind === 'unknown') {
        markInDoubt(db, editionId, subscriber.id, error.message, options.now());
        summary.inDoubt.push({
          subscriberId: subscriber.id,
          email: subscriber.email,
          reason: error.message,
        });
        return 'in-doubt';
      }
      if (error.kind === 'permanent') {
        markFailed(db, editionId, subscriber.id, error.message, options.now());
        if (error.bounce) recordBounce(db, subscriber.id, options.bounceThreshold, options.now());
        summary.failed.push(failed);
        return 'failed';
      }
      // Temporary or fatal: certainly not delivered, so back to `pending` before waiting;
      // a kill during the backoff then leaves nothing in doubt.
      markPending(db, editionId, subscriber.id, error.message, options.now());
      if (error.kind === 'fatal') {
        summary.aborted ??= error.message;
        summary.pending.push(failed);
        return 'pending';
      }
      if (attempt >= options.retries) {
        // A refusal for one recipient concerns that recipient; an unreachable server concerns
        // everyone, and trying each of 10,000 people through the whole backoff helps nobody.
        if (error.unreachable) {
          summary.aborted ??= `mail server unreachable: ${error.message}`;
          summary.pending.push(failed);
          return 'pending';
        }
        summary.failed.push(failed);
        return 'failed';
      }
      summary.retried++;
      await options.sleep(options.backoffMs * 2 ** attempt);
    }
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const subscriber = queue[next++] as Subscriber;
      if (summary.aborted) {
        summary.notSent++;
        report(subscriber, 'not-sent');
        continue;
      }
      const outcome = await sendOne(subscriber);
      if (outcome === 'not-sent') summary.notSent++;
      report(subscriber, outcome);
    }
  };
  try {
    // Every lane ends before the run does (a failed commit stops them all at their next claim),
    // so nothing is handed over after the summary or the error is out.
    const ended = await Promise.allSettled(Array.from({ length: lanes }, worker));
    // What the lanes delivered last is written before the summary says so (or the error shows).
    await ledgerWrites.close();
    for (const lane of ended) if (lane.status === 'rejected') throw lane.reason;
  } finally {
    if (!options.commits) await commits.close();
  }
  return summary;
}

/** What the transport can tell of a message left in doubt ('unknown' when it cannot look). */
function settleInDoubt(options: SendEditionOptions, subscriber: Subscriber): InDoubtOutcome {
  if (!options.transport.settleInDoubt) return 'unknown';
  const message = options.compose(subscriber);
  return message ? options.transport.settleInDoubt(message) : 'unknown';
}

/**
 * The ledger writes of the lanes, committed together (group commit): the `sent` rows of messages
 * just accepted and the claims of the rows about to be handed over go in one transaction, so one
 * fsync covers several claims instead of one each. A claim waits for its batch only while more
 * than `batch` messages are with the transport (the connections are busy anyway); with fewer, it
 * is committed at the end of the turn. One commit is under way at a time (it runs off the event
 * loop, see `ledgerCommits`); what the lanes ask meanwhile goes in the next. A claim always
 * commits before its message is handed over.
 *
 * Each lane holds at most one row `sending` that is not settled in the file: the one it is
 * handing over, or the one just delivered whose `sent` waits for the lane's next claim (which
 * is committed with it or after it). So a kill at any moment leaves at most as many rows in
 * doubt as there are lanes (2 × concurrency).
 */
function createGroupCommit(
  commits: LedgerCommits,
  options: { batch: number; inFlight: () => number },
): {
  claim(claim: Claim): Promise<boolean>;
  sent(row: SentRow): void;
  /** A message left the transport: waiting claims may be due. */
  poke(): void;
  /** Writes what is left; rejects if a write failed (the rows stay in doubt). */
  close(): Promise<void>;
} {
  let claims: { claim: Claim; resolve: (claimed: boolean) => void; reject: (error: unknown) => void }[] = [];
  let sent: SentRow[] = [];
  let scheduled = false;
  let writing: Promise<void> | null = null;
  let failure: unknown = null;
  const claimsDue = () =>
    claims.length > 0 && (claims.length >= options.batch || options.inFlight() <= options.batch);
  const write = (withClaims: boolean): Promise<void> | null => {
    const batch = withClaims ? claims : [];
    if (withClaims) claims = [];
    const rows = sent;
    sent = [];
    if (batch.length === 0 && rows.length === 0) return null;
    const done = commits
      .commit(
        rows,
        batch.map((entry) => entry.claim),
      )
      .then(
        (results) => {
          batch.forEach((entry, i) => {
            entry.resolve(results[i] ?? false);
          });
        },
        (error: unknown) => {
          failure ??= error;
          for (const entry of batch) entry.reject(error);
        },
      )
      .finally(() => {
        writing = null;
        // What the lanes asked while this commit was under way.
        if (claims.length > 0 || sent.length > 0) schedule();
      });
    writing = done;
    return done;
  };
  const flush = () => {
    scheduled = false;
    if (writing) return; // rescheduled when it ends
    if (failure) {
      for (const entry of claims.splice(0)) entry.reject(failure);
      return;
    }
    // `sent` rows ride with claims waiting for their batch (committed within a few messages);
    // alone, when no claim waits, so a lane that stops or sleeps leaves nothing unrecorded.
    if (claimsDue()) write(true);
    else if (claims.length === 0) write(false);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  return {
    claim: (claim) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        claims.push({ claim, resolve, reject });
        if (claimsDue()) schedule();
      }),
    sent: (row) => {
      sent.push(row);
      schedule();
    },
    poke: () => {
      if (claimsDue()) schedule();
    },
    close: async () => {
      while (writing) await writing;
      if (!failure) await write(true);
      if (failure) throw failure;
    },
  };
}
