import type { StateDb } from '../state/index.ts';
import { deliveriesOf } from '../state/index.ts';
import type { Subscriber } from '../types.ts';
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
  const counts: PlannedDeliveries = { send: 0, alreadySent: 0, noStories: 0, failed: 0, inDoubt: 0 };
  for (const subscriber of subscribers) {
    const state = ledger.get(subscriber.id)?.state;
    if (state === 'sent') counts.alreadySent++;
    else if (state === 'skipped' || !renderFor(renders, subscriber.topics)) counts.noStories++;
    else if (state === 'failed') counts.failed++;
    else if (state === 'sending' && !resendInDoubt) counts.inDoubt++;
    else counts.send++;
  }
  return counts;
}
