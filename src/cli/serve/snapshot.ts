import { existsSync, rmSync } from 'node:fs';
import { dropLegacyParseCache, ensureItemsTable, openState, type StateDb } from '../../state/index.ts';

/**
 * serve previews; it does not publish. A build records things in the state store (first-seen
 * dates, the newsletter edition it made), and an edition once recorded is kept as it is, so
 * building on the real state would freeze the first preview's edition (later template edits
 * would not show) and leave editions behind for `send`. Each serve build therefore runs on a
 * snapshot of the state (SQLite `VACUUM INTO`, consistent even while `send` writes), showing
 * exactly what `broadsheet build` would make now, and changing nothing.
 *
 * The snapshot is taken again only when the real state changed since (another process
 * committed, or this one's unsubscribe endpoint wrote): each build runs inside a transaction
 * that is rolled back when the build closes the database, so the snapshot stays as taken.
 * At 10k stories the copy costs ~0.14 s, more than the rest of a one-edit rebuild.
 */
export function stateSnapshots(
  source: StateDb,
  snapshot: string,
  onNewSnapshot: () => void = () => {},
): () => StateDb {
  let takenAt: string | null = null;
  return () => {
    const generation = stateGeneration(source);
    if (generation !== takenAt || !existsSync(snapshot)) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(snapshot + suffix, { force: true });
      source.prepare('VACUUM INTO ?').run(snapshot);
      takenAt = generation;
      onNewSnapshot();
    }
    const db = openState(snapshot);
    // What a build can't do inside a transaction (the one-off cleanup of an old layout), and
    // the tables and triggers it would create: done once, outside, so they stay in the snapshot.
    dropLegacyParseCache(db);
    ensureItemsTable(db);
    // Never committed: closing the database rolls back whatever the build wrote.
    db.exec('BEGIN');
    return db;
  };
}

/**
 * Changes whenever the real state does: `data_version` moves when another connection commits,
 * `total_changes()` when this connection (the unsubscribe endpoint) writes.
 */
function stateGeneration(db: StateDb): string {
  const version = db.pragma('data_version', { simple: true }) as number;
  const own = db.prepare('SELECT total_changes()').pluck().get() as number;
  return `${version}:${own}`;
}
