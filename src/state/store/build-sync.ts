import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openState, type StateDb } from '../db.ts';
import { editionIds } from '../editions.ts';
import { ensureItemsTable } from '../items.ts';
import { ensureLedgerTable } from '../ledger.ts';
import { processRuns } from '../lock.ts';
import { SCHEMA } from './postgres-schema.ts';

/**
 * `broadsheet build` with BROADSHEET_DATABASE_URL. The pipeline's state code is synchronous
 * SQLite, deep in normalize and the newsletter; rather than make all of it async, a build runs it
 * unchanged on a local SQLite *working copy* of the build's tables, pulled from PostgreSQL under
 * an advisory lock (one build of a publication at a time, on any machine) and pushed back in one
 * transaction before the new out/ is published. So a published page never carries an id the
 * database lacks, and a build killed at any moment leaves PostgreSQL as it was (killed before
 * the push) or as the build left it (after): the next build assigns the same ids either way.
 */

/** The advisory lock a build holds, on its own session, from pull to push (any fixed number). */
export const BUILD_LOCK = 2126023;
/** Any fixed number: the schema lock of `postgres.ts`, so schema creation never races a sender. */
const SCHEMA_LOCK = 2126021;
/** Rows per SELECT page and per INSERT (identities carry a ~2 KB text sample each). */
const PAGE = 2000;

const IDENTITY_COLUMNS = [
  'id',
  'slug',
  'first_seen',
  'title_key',
  'canonical_url',
  'source_file',
  'content_hash',
  'edited_at',
  'text_sample',
];
const EDITION_COLUMNS = [
  'seq',
  'id',
  'period',
  'since',
  'until',
  'story_count',
  'created_at',
  'edition_json',
  'subject',
  'preheader',
  'html',
  'text',
  'web_html',
  'url',
];

export interface PullCounts {
  identities: number;
  editions: number;
  editionItems: number;
}

export interface PushCounts {
  identities: number;
  editions: number;
}

export interface BuildSession {
  /** The SQLite working copy the pipeline runs on (`openWorkingCopy` opens it). */
  readonly path: string;
  readonly pulled: PullCounts;
  /** Working copies of killed builds on this machine that opening this session removed. */
  readonly swept: number;
  /** Writes back, in one transaction, every identity and edition the build added or changed. */
  push(): Promise<PushCounts>;
  /** Releases the lock and deletes the working copy (pushed or not). */
  close(): Promise<void>;
}

export interface BuildSessionOptions {
  /** Told once when another build holds the lock and this one waits for it. */
  onWait?(message: string): void;
  /**
   * The local SQLite state file. A database with no story yet beside a local state that has
   * some means `state migrate` was never run: a build would give every story a new first-seen
   * date and put old stories in a new edition, so it is refused.
   */
  localState?: string;
}

/** Refused before anything was changed: the message says what to do. */
export class BuildSyncError extends Error {}

/** Locks the publication's build in PostgreSQL and pulls its tables into a fresh working copy. */
export async function openBuildSession(
  url: string,
  options: BuildSessionOptions = {},
): Promise<BuildSession> {
  // One session for lock, pull and push: if the connection drops, the lock goes with it and
  // the push fails, so a build never writes back after another one took over.
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  const dir = mkdtempSync(join(tmpdir(), copyPrefix(process.pid)));
  // Ages are judged by the file system's clock (the folder just made), which is the one that
  // dates the copies: the process clock may be moved (faketime) or skewed (a network mount).
  const swept = sweepAbandonedCopies(tmpdir(), statSync(dir).mtimeMs);
  const stopDiscarding = discardOnSignal(dir);
  try {
    await transaction(client, async () => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await client.query(SCHEMA);
    });
    await takeBuildLock(client, options.onWait);
    const path = join(dir, 'state.db');
    const db = openWorkingCopy(path);
    let pulled: PullCounts;
    try {
      pulled = await pull(client, db);
      if (pulled.identities === 0) refuseUnmigratedState(options.localState);
      trackChanges(db);
    } finally {
      db.close();
    }
    return {
      path,
      pulled,
      swept,
      push: () => push(client, path),
      close: async () => {
        stopDiscarding();
        await client.end().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    stopDiscarding();
    await client.end().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A working copy's folder name: this machine and this process, so a later build can tell the
 * copy of a build that was killed (SIGKILL, an out-of-memory kill, a power cut: nothing ran to
 * delete it) from the copy of one still running. A copy is the whole state (~3 KB a story), and
 * a build run from cron under a timeout would otherwise leave one in the temp folder each time.
 */
function copyPrefix(pid: number): string {
  // The host name keeps apart machines (containers) that share a temp folder but not process ids.
  return `broadsheet-build-${hostname().replace(/[^A-Za-z0-9.]/g, '_')}-${pid}-`;
}

/**
 * Deletes this machine's working copies whose process is gone; returns how many. A process id
 * taken again by an unrelated process keeps its copy until that one ends: never a live copy.
 */
export function sweepAbandonedCopies(
  parent: string,
  /** The file system's time now (ms), which ages old-named copies. */
  now: number,
  alive: (pid: number) => boolean = processRuns,
): number {
  const ours = copyPrefix(0).slice(0, -'0-'.length);
  let swept = 0;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (OLD_COPY.test(name)) {
      if (!untouchedForADay(join(parent, name), now)) continue;
    } else {
      if (!name.startsWith(ours)) continue;
      const pid = Number(/^(\d+)-[^-]+$/.exec(name.slice(ours.length))?.[1]);
      if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    }
    try {
      rmSync(join(parent, name), { recursive: true, force: true });
      swept++;
    } catch {
      // Another user's copy in a shared temp folder, or one another build removes right now.
    }
  }
  return swept;
}

/**
 * A copy named by a version before 2026-12-05 (`mkdtemp`'s six characters, no machine or process
 * to tell whether its build runs): removed once neither it nor its files changed for a day, which
 * no build waits or runs for.
 */
const OLD_COPY = /^broadsheet-build-[A-Za-z0-9]{6}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

function untouchedForADay(dir: string, now: number): boolean {
  try {
    const times = [dir, ...readdirSync(dir).map((name) => join(dir, name))].map(
      (path) => statSync(path).mtimeMs,
    );
    return now - Math.max(...times) > DAY_MS;
  } catch {
    return false;
  }
}

/**
 * Ctrl-C, SIGTERM (a timeout) or SIGHUP ends a build, waiting for the lock or building, before
 * its `close` runs: the working copy is deleted first, then the signal does what it would have
 * done (the database drops the lock and any open transaction with the connection). Only where
 * nothing else handles the signal: `build --watch` stops in its own time and closes the session.
 */
function discardOnSignal(dir: string): () => void {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const stop = () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    if (process.listenerCount(signal) > 0) return;
    rmSync(dir, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  for (const signal of signals) process.on(signal, onSignal);
  return stop;
}

/** The working copy, opened as the pipeline's state: durable syncs are pointless on a copy. */
export function openWorkingCopy(path: string): StateDb {
  const db = openState(path);
  db.pragma('synchronous = OFF');
  return db;
}

async function takeBuildLock(client: pg.Client, onWait: ((message: string) => void) | undefined) {
  const got = await client.query('SELECT pg_try_advisory_lock($1) AS ok', [BUILD_LOCK]);
  if (got.rows[0]?.ok === true) return;
  onWait?.(
    'build: another build of this publication holds the lock in PostgreSQL (BROADSHEET_DATABASE_URL); waiting for it to finish',
  );
  await client.query('SELECT pg_advisory_lock($1)', [BUILD_LOCK]);
}

async function transaction<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

function refuseUnmigratedState(localState: string | undefined): void {
  if (!localState || !existsSync(localState)) return;
  const db = openState(localState);
  try {
    const table = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'item_identities'")
      .get();
    const local = table ? (db.prepare('SELECT count(*) FROM item_identities').pluck().get() as number) : 0;
    if (local > 0)
      throw new BuildSyncError(
        `the database in BROADSHEET_DATABASE_URL holds no stories yet, but ${localState} holds ${local}: ` +
          'copy them over first (`broadsheet state migrate --to "$BROADSHEET_DATABASE_URL"`), ' +
          'or every story would get a new first-seen date and old stories a new edition',
      );
  } finally {
    db.close();
  }
}

/**
 * Copies identities, editions and which stories each carried into the working copy, from one
 * snapshot (REPEATABLE READ), page by page. Of the ledger it copies only what the build asks:
 * whether anyone was sent (or may have been sent) each edition, one marker row per fact.
 */
async function pull(client: pg.Client, db: StateDb): Promise<PullCounts> {
  ensureItemsTable(db);
  editionIds(db); // creates the editions and edition_items tables
  ensureLedgerTable(db);
  return transaction(client, async () => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const identities = await copyPaged(client, db, 'item_identities', IDENTITY_COLUMNS, 'id');
    const editions = await copyPaged(client, db, 'editions', EDITION_COLUMNS, 'id');
    const editionItems = await copyPaged(client, db, 'edition_items', ['item_id', 'edition_id'], 'item_id');
    await pullLedgerMarkers(client, db);
    return { identities, editions, editionItems };
  });
}

/** Rows of `table` in `key` order, PAGE at a time (keyset paging: no page rereads the last). */
async function copyPaged(
  client: pg.Client,
  db: StateDb,
  table: string,
  columns: string[],
  key: string,
): Promise<number> {
  const insert = db.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const keys = table === 'edition_items' ? ['item_id', 'edition_id'] : [key];
  const order = keys.map((k) => `${k} COLLATE "C"`).join(', ');
  let after: unknown[] | null = null;
  let copied = 0;
  for (;;) {
    const where = after
      ? `WHERE (${keys.map((k) => `${k} COLLATE "C"`).join(', ')}) > (${keys.map((_, i) => `$${i + 1}`).join(', ')})`
      : '';
    const page = await client.query({
      text: `SELECT ${columns.join(', ')} FROM ${table} ${where} ORDER BY ${order} LIMIT ${PAGE}`,
      values: after ?? [],
      rowMode: 'array',
    });
    const rows = page.rows as unknown[][];
    if (rows.length === 0) return copied;
    db.transaction(() => {
      for (const row of rows) insert.run(row);
    })();
    copied += rows.length;
    const last = rows[rows.length - 1] as unknown[];
    after = keys.map((k) => last[columns.indexOf(k)]);
  }
}

/**
 * The build reads the ledger only to ask "was this edition sent (or in doubt)?" (the stale
 * edition warning); the ledger itself may be millions of rows. One marker per edition and state
 * answers that, with a placeholder subscriber: the working copy never sends.
 */
async function pullLedgerMarkers(client: pg.Client, db: StateDb): Promise<void> {
  const marks = await client.query(
    "SELECT DISTINCT edition_id, state FROM deliveries WHERE state IN ('sent', 'sending')",
  );
  if (marks.rows.length === 0) return;
  db.prepare(
    `INSERT INTO subscribers (id, email, status, created_at) VALUES (1, 'ledger-marker@working-copy.invalid', 'active', '1970-01-01T00:00:00.000Z')`,
  ).run();
  const insert = db.prepare(
    `INSERT INTO deliveries (edition_id, subscriber_id, state, message_id, updated_at) VALUES (?, 1, ?, '', '')`,
  );
  // One subscriber cannot hold two rows of one edition: an edition both sent and in doubt keeps 'sending'.
  const byEdition = new Map<string, string>();
  for (const row of marks.rows as { edition_id: string; state: string }[])
    if (byEdition.get(row.edition_id) !== 'sending') byEdition.set(row.edition_id, row.state);
  for (const [edition, state] of byEdition) insert.run(edition, state);
}

/** Triggers that note every identity and edition the build adds, changes or drops. */
function trackChanges(db: StateDb): void {
  db.exec(
    'CREATE TABLE pg_push (kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID',
  );
  const noted: [table: string, kind: string, key: string, events: string[]][] = [
    ['item_identities', 'item', 'id', ['INSERT', 'UPDATE']],
    ['editions', 'edition', 'id', ['INSERT', 'UPDATE', 'DELETE']],
    ['edition_items', 'edition', 'edition_id', ['INSERT', 'DELETE']],
  ];
  for (const [table, kind, key, events] of noted)
    for (const event of events) {
      const row = event === 'DELETE' ? 'old' : 'new';
      db.exec(`CREATE TRIGGER pg_push_${table}_${event.toLowerCase()} AFTER ${event} ON ${table}
        BEGIN INSERT OR IGNORE INTO pg_push VALUES ('${kind}', ${row}.${key}); END`);
    }
}

/**
 * What the build changed, written in one transaction on the session holding the build lock.
 * Identities first in the same transaction as the editions that name them: PostgreSQL holds
 * both or neither. An edition someone was sent since the pull is history: the push is refused.
 */
async function push(client: pg.Client, path: string): Promise<PushCounts> {
  const db = openState(path);
  try {
    const changed = db.prepare('SELECT kind, key FROM pg_push ORDER BY kind, key').all() as {
      kind: 'item' | 'edition';
      key: string;
    }[];
    const items = changed.filter((c) => c.kind === 'item').map((c) => c.key);
    const editions = changed.filter((c) => c.kind === 'edition').map((c) => c.key);
    if (changed.length === 0) return { identities: 0, editions: 0 };
    return await transaction(client, async () => {
      await pushIdentities(client, db, items);
      for (const id of editions) await pushEdition(client, db, id);
      if (editions.length > 0)
        await client.query(
          "SELECT setval(pg_get_serial_sequence('editions', 'seq'), GREATEST((SELECT MAX(seq) FROM editions), 1))",
        );
      return { identities: items.length, editions: editions.length };
    });
  } finally {
    db.close();
  }
}

async function pushIdentities(client: pg.Client, db: StateDb, ids: string[]): Promise<void> {
  const select = db
    .prepare(`SELECT ${IDENTITY_COLUMNS.join(', ')} FROM item_identities WHERE id = ?`)
    .raw(true);
  // As the SQLite upsert (items.ts): id, slug and first_seen of a stored row never change.
  const update = IDENTITY_COLUMNS.filter((c) => !['id', 'slug', 'first_seen'].includes(c))
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  for (let start = 0; start < ids.length; start += PAGE) {
    const rows = ids.slice(start, start + PAGE).map((id) => select.get(id) as unknown[]);
    await client.query(
      `INSERT INTO item_identities (${IDENTITY_COLUMNS.join(', ')}) VALUES ${placeholders(rows.length, IDENTITY_COLUMNS.length)}
       ON CONFLICT (id) DO UPDATE SET ${update}`,
      rows.flat(),
    );
  }
}

async function pushEdition(client: pg.Client, db: StateDb, id: string): Promise<void> {
  const row = db
    .prepare(`SELECT ${EDITION_COLUMNS.join(', ')} FROM editions WHERE id = ?`)
    .raw(true)
    .get(id) as unknown[] | undefined;
  const existed =
    (await client.query('SELECT 1 FROM editions WHERE id = $1 FOR UPDATE', [id])).rowCount === 1;
  if (existed) await refuseIfDelivered(client, id);
  await client.query('DELETE FROM edition_items WHERE edition_id = $1', [id]);
  // A replaced (or dropped) edition's undelivered rows go with it, as in editions.ts.
  await client.query(
    "DELETE FROM deliveries WHERE edition_id = $1 AND state IN ('pending', 'failed', 'skipped')",
    [id],
  );
  if (!row) {
    await client.query('DELETE FROM editions WHERE id = $1', [id]);
    return;
  }
  const update = EDITION_COLUMNS.filter((c) => c !== 'seq' && c !== 'id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  await client.query(
    `INSERT INTO editions (${EDITION_COLUMNS.join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${placeholders(1, EDITION_COLUMNS.length)}
     ON CONFLICT (id) DO UPDATE SET ${update}`,
    row,
  );
  const items = db
    .prepare('SELECT item_id FROM edition_items WHERE edition_id = ?')
    .pluck()
    .all(id) as string[];
  for (let start = 0; start < items.length; start += PAGE) {
    const page = items.slice(start, start + PAGE);
    await client.query(
      `INSERT INTO edition_items (item_id, edition_id) VALUES ${placeholders(page.length, 2)}`,
      page.flatMap((item) => [item, id]),
    );
  }
}

async function refuseIfDelivered(client: pg.Client, id: string): Promise<void> {
  const delivered = await client.query(
    "SELECT count(*)::int AS n FROM deliveries WHERE edition_id = $1 AND state IN ('sent', 'sending')",
    [id],
  );
  const n = delivered.rows[0]?.n as number;
  if (n > 0)
    throw new BuildSyncError(
      `edition ${id} was sent to ${n} reader(s) while this build ran, so it is history now; nothing was written back`,
    );
}

function placeholders(rows: number, columns: number): string {
  return Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(', ')})`,
  ).join(', ');
}

/**
 * `work` in one transaction while holding the build lock (waiting for a running build): a
 * change to the editions outside a build (`editions discard`) never lands between a build's
 * pull and its push, where the push would bring the edition back.
 */
export async function withBuildLock(client: pg.Client, work: () => Promise<void>): Promise<void> {
  await transaction(client, async () => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [BUILD_LOCK]);
    await work();
  });
}
