import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type StateDb = Database.Database;

/**
 * Opens (creating if needed) the SQLite state file. Each store module (`items.ts`,
 * `editions.ts`, `subscribers.ts`, `ledger.ts`, `cache.ts`) creates its own tables on first
 * use with `CREATE TABLE IF NOT EXISTS`, so stores stay independent of one another.
 */
export function openState(path: string, { pageSize = STATE_PAGE_SIZE }: { pageSize?: number } = {}): StateDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // Takes effect on a new file only (before its first page is written; WAL fixes it after):
  // an existing file keeps the size it was made with.
  db.pragma(`page_size = ${pageSize}`);
  // WAL lets `serve` read while `build` or `send` writes; a crash never leaves a torn page.
  db.pragma('journal_mode = WAL');
  for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
  return db;
}

/**
 * 8 KB pages: a stored identity is ~2.3 KB (its text sample ~2 KB), so 4 KB pages held one row
 * each, and a 10k-story state took 46 MB for ~24 MB of rows; with 8 KB pages, 33 MB.
 */
const STATE_PAGE_SIZE = 8192;

/**
 * Set on every connection to the state file (WAL is the file's own, set once by `openState`);
 * the ledger's commit thread (ledger-thread.ts) opens its connection with the same ones.
 * FULL makes each committed ledger row durable before the next message goes out: the
 * never-send-twice guarantee rests on it.
 */
export const CONNECTION_PRAGMAS = ['synchronous = FULL', 'busy_timeout = 5000', 'foreign_keys = ON'] as const;

const statements = new WeakMap<StateDb, Map<string, Database.Statement>>();

/**
 * `db.prepare(sql)`, compiled once per connection: for statements run once per message of a
 * send, where compiling each time cost more than running (better-sqlite3 keeps no cache itself).
 */
export function preparedOnce(db: StateDb, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
