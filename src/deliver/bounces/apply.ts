import { createHash } from 'node:crypto';
import type { DeliveryStore } from '../../state/store/index.ts';
import type { BounceVerdict } from './classify.ts';
import { editionTag, findTraces } from './verp.ts';

export interface ApplyOptions {
  /** The state: the SQLite file, or PostgreSQL with BROADSHEET_DATABASE_URL. */
  store: DeliveryStore;
  /** The secret trace tokens were signed with (the unsubscribe secret). */
  secret: string;
  /** Soft bounces in a row (editions) that bounce a subscriber. */
  softBounceLimit: number;
  /** `mailbox` or `ses`: recorded with the event. */
  source: string;
  now: string;
}

/**
 * What one report did:
 * - `bounced` / `unsubscribed`: the subscriber's status changed (and the address is suppressed).
 * - `counted`: a soft bounce, recorded; not yet N in a row.
 * - `ignored`: a report that changes nothing (not a bounce; an auth-failure or not-spam report).
 * - `untraced`: no valid trace token, so no one is touched (a forged report lands here too).
 * - `duplicate`: this report was imported before.
 */
export type Action = 'bounced' | 'unsubscribed' | 'counted' | 'ignored' | 'untraced' | 'duplicate';

export interface Applied {
  verdict: BounceVerdict;
  action: Action;
  subscriberId: number | null;
  editionId: string | null;
  email: string | null;
}

/** ARF feedback types that are not a person's complaint about our mail (RFC 5965 §7.3, RFC 6591). */
const NOT_A_COMPLAINT = new Set(['auth-failure', 'not-spam', 'dmarc']);

/**
 * Applies one classified report to the list, traced by the signed token found in `traceText`
 * (the raw report: the VERP address it was sent to, the returned original's headers). Only a
 * verified token touches anyone: an address named in the report's text is never trusted,
 * since anyone can mail us a report naming anyone.
 */
export async function applyVerdict(
  options: ApplyOptions,
  verdict: BounceVerdict,
  traceText: string,
  reportKey: string,
): Promise<Applied> {
  const base = { verdict, subscriberId: null, editionId: null, email: null };
  if (verdict.kind === 'not-bounce') return { ...base, action: 'ignored' };
  if (verdict.kind === 'complaint' && NOT_A_COMPLAINT.has(verdict.feedbackType ?? ''))
    return { ...base, action: 'ignored' };
  const { store } = options;
  for (const trace of findTraces(options.secret, traceText)) {
    const subscriber = await store.getSubscriber(trace.subscriberId);
    if (!subscriber) continue;
    const editionId =
      (await store.editionsOf(subscriber.id)).find((id) => editionTag(id) === trace.editionTag) ?? null;
    const found = { verdict, subscriberId: subscriber.id, editionId, email: subscriber.email };
    const effect = await store.applyTracedReport(
      {
        event: {
          reportKey: `${reportKey}:${subscriber.id}:${editionId ?? ''}`,
          subscriberId: subscriber.id,
          editionId,
          kind: verdict.kind,
          status: verdict.status,
          reason: verdict.reason,
          source: options.source,
          receivedAt: options.now,
        },
        email: subscriber.email,
        wasActive: subscriber.status === 'active',
        softBounceLimit: options.softBounceLimit,
      },
      options.now,
    );
    return { ...found, action: effect };
  }
  return { ...base, action: 'untraced' };
}

/**
 * A report's identity: the same message imported twice (two runs over one mailbox, or a copy
 * in another folder) counts once. Line ends and trailing blank lines differ between an mbox,
 * a Maildir file and a saved .eml, so they do not count.
 */
export function reportKeyOf(raw: Buffer | string): string {
  const text = (typeof raw === 'string' ? raw : raw.toString('latin1')).replace(/\r\n?/g, '\n').trimEnd();
  return createHash('sha256').update(text, 'latin1').digest('hex');
}
