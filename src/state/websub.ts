import type { StateDb } from './db.ts';

/**
 * What the WebSub hub was last told, per feed (topic URL): the SHA-256 of the feed's bytes at
 * the last ping the hub accepted. A feed whose bytes still hash the same is not pinged again.
 */
export function ensureWebSubTable(db: StateDb): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS websub_pings (
      topic TEXT PRIMARY KEY,
      hash TEXT NOT NULL,
      pinged_at TEXT NOT NULL
    ) WITHOUT ROWID;
  `);
}

/** Topic URL → hash of the bytes the hub last accepted a ping for. */
export function pingedHashes(db: StateDb): Map<string, string> {
  ensureWebSubTable(db);
  const rows = db.prepare('SELECT topic, hash FROM websub_pings').all() as { topic: string; hash: string }[];
  return new Map(rows.map((row) => [row.topic, row.hash]));
}

/** Recorded only once the hub accepted the ping: a failed one is retried by the next run. */
export function recordPing(db: StateDb, topic: string, hash: string, at: string): void {
  ensureWebSubTable(db);
  db.prepare(
    'INSERT INTO websub_pings (topic, hash, pinged_at) VALUES (?, ?, ?) ON CONFLICT (topic) DO UPDATE SET hash = excluded.hash, pinged_at = excluded.pinged_at',
  ).run(topic, hash, at);
}
