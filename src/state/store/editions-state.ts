import type { DeliveryState, EditionSummary } from '../../types.ts';
import type { StateDb } from '../db.ts';
import { deleteEdition, getStoredEdition, listEditions, type StoredEdition } from '../editions.ts';
import { countDeliveries } from '../ledger.ts';

/**
 * What `broadsheet editions` reads and changes, on the SQLite state file or, with
 * BROADSHEET_DATABASE_URL, on PostgreSQL (where `build` records editions and `send` reads them).
 */
export interface EditionsState {
  /** Every edition, newest (last built) first. */
  list(): Promise<EditionSummary[]>;
  stored(id: string | 'latest'): Promise<StoredEdition | null>;
  counts(id: string): Promise<Record<DeliveryState, number>>;
  /**
   * Forgets an edition no reader got, with which stories it carried and its undelivered ledger
   * rows. The caller checks first; PostgreSQL checks again under the build lock, since a sender
   * on another machine may have started meanwhile (then BuildSyncError, nothing changed).
   */
  discard(id: string): Promise<void>;
  close(): Promise<void>;
}

export function sqliteEditions(db: StateDb): EditionsState {
  return {
    list: async () => listEditions(db),
    stored: async (id) => getStoredEdition(db, id),
    counts: async (id) => countDeliveries(db, id),
    discard: async (id) => {
      deleteEdition(db, id);
    },
    close: async () => {
      db.close();
    },
  };
}
