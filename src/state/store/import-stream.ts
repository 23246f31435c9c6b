import type { NewSubscriber } from '../subscribers.ts';
import type { DeliveryStore, ImportCounts } from './types.ts';

/**
 * Imports subscribers from a stream in batches of `batchSize` (one transaction each): memory
 * stays at one batch whatever the list's size. `onBatch` sees the running totals.
 */
export async function importSubscriberStream(
  store: DeliveryStore,
  rows: AsyncIterable<NewSubscriber>,
  now: string,
  options: { batchSize?: number; onBatch?(totals: ImportCounts): void } = {},
): Promise<ImportCounts> {
  const size = options.batchSize ?? 5000;
  const totals: ImportCounts = { added: 0, statusApplied: 0, unchanged: 0 };
  let batch: NewSubscriber[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const counts = await store.importSubscribers(batch, now);
    totals.added += counts.added;
    totals.statusApplied += counts.statusApplied;
    totals.unchanged += counts.unchanged;
    batch = [];
    options.onBatch?.(totals);
  };
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= size) await flush();
  }
  await flush();
  return totals;
}
