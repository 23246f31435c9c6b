import { mkdirSync, statfsSync } from 'node:fs';
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
  try {
    // Takes effect on a new file only (before its first page is written; WAL fixes it after):
    // an existing file keeps the size it was made with.
    db.pragma(`page_size = ${pageSize}`);
    // WAL lets `serve` read while `build` or `send` writes; a crash never leaves a torn page.
    db.pragma('journal_mode = WAL');
    for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
  } catch (error) {
    db.close();
    throw notDatabaseOr(diskFullOr(error, path), path);
  }
  return db;
}

/**
 * "file is not a database" names no file: a state or cache path that names something else (an
 * article, by a slip in paths.state or paths.cache) says which. The file is left as it was.
 */
function notDatabaseOr(error: unknown, path: string): unknown {
  if ((error as { code?: unknown }).code !== 'SQLITE_NOTADB') return error;
  const named = new Error(
    `${path} is not a SQLite database (check paths.state and paths.cache in the config); it was left as it is`,
  ) as NodeJS.ErrnoException;
  named.code = 'SQLITE_NOTADB';
  return named;
}

/**
 * SQLite says "disk I/O error" when it cannot grow the WAL index (`-shm`) on a full disk, which
 * names neither cause nor file. When the file's disk has (almost) no room left, the error
 * becomes ENOSPC, naming the file, so the command says "the disk is full" as for any other write.
 */
function diskFullOr(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_IOERR') || path === ':memory:') return error;
  return noSpaceBeside(path, error as Error) ?? error;
}

/**
 * SQLite's "database or disk is full" (SQLITE_FULL) names no file either: of the database
 * files a command had open, the one whose disk has (almost) no room left is named, as ENOSPC.
 * With none of them nearly full (a size limit, not the disk), the error is left as it is.
 */
export function fullDiskNamed(error: unknown, paths: string[]): unknown {
  if ((error as { code?: unknown }).code !== 'SQLITE_FULL') return error;
  for (const path of paths) {
    const named = path === ':memory:' ? null : noSpaceBeside(path, error as Error);
    if (named) return named;
  }
  return error;
}

/** An ENOSPC error naming `path` when its disk has (almost) no room left, else null. */
function noSpaceBeside(path: string, error: Error): NodeJS.ErrnoException | null {
  let free: number;
  try {
    const stats = statfsSync(dirname(path));
    free = stats.bavail * stats.bsize;
  } catch {
    return null;
  }
  if (free >= DISK_NEARLY_FULL_BYTES) return null;
  const full = new Error(
    `no space left on the disk that holds ${path} (${free} bytes free; SQLite: ${error.message})`,
  ) as NodeJS.ErrnoException;
  full.code = 'ENOSPC';
  return full;
}

/** Less free space than this when SQLite fails to write: the disk is full (its WAL index alone is 32 KB). */
export const DISK_NEARLY_FULL_BYTES = 1024 * 1024;

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
