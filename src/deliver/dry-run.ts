import type { StateDb } from '../state/index.ts';
import { deliveriesOf } from '../state/index.ts';
import type { DeliveryState, Subscriber } from '../types.ts';
import { type EditionRenders, renderFor } from './renders.ts';

export interface PlannedDeliveries {
  send: number;
  alreadySent: number;
  noStories: number;
  failed: number;
  inDoubt: number;
}

/**
 * What `sendEdition` would do for each subscriber, read from the ledger: the same never-twice
 * rules (sent is never sent again, failed is not retried, in doubt is not resent unless asked),
 * with nothing sent and nothing written.
 */
export function planDeliveries(
  db: StateDb,
  editionId: string,
  subscribers: Subscriber[],
  renders: EditionRenders,
  resendInDoubt: boolean,
): PlannedDeliveries {
  const ledger = deliveriesOf(db, editionId);
  const counts = noDeliveries();
  for (const subscriber of subscribers)
    counts[plannedFor(ledger.get(subscriber.id)?.state, subscriber, renders, resendInDoubt)]++;
  return counts;
}

export function noDeliveries(): PlannedDeliveries {
  return { send: 0, alreadySent: 0, noStories: 0, failed: 0, inDoubt: 0 };
}

/** What a send would do for one subscriber whose ledger row is in `state` (undefined: none yet). */
export function plannedFor(
  state: DeliveryState | undefined,
  subscriber: Pick<Subscriber, 'topics'>,
  renders: EditionRenders,
  resendInDoubt: boolean,
): keyof PlannedDeliveries {
  if (state === 'sent') return 'alreadySent';
  if (state === 'skipped' || !renderFor(renders, subscriber.topics)) return 'noStories';
  if (state === 'failed') return 'failed';
  if (state === 'sending' && !resendInDoubt) return 'inDoubt';
  return 'send';
}
