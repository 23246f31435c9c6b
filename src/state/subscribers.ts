import { SUBSCRIBER_STATUSES, type Subscriber, type SubscriberStatus } from '../types.ts';
import type { StateDb } from './db.ts';

/**
 * The mailing list. Addresses are unique case-insensitively (`COLLATE NOCASE`): mail systems
 * treat `Ann@Example.com` and `ann@example.com` as one mailbox in practice, and one person
 * must never get two copies because they signed up twice with different capitals.
 *
 * Unsubscribed and bounced people stay in the table (with their status) so a later CSV import
 * can never silently put them back on the list; `deleteSubscriber` is the explicit erasure.
 */
export function ensureSubscribersTable(db: StateDb): void {
  if (ready.has(db)) return;
  db.exec(`
    CREATE TABLE IF NOT EXISTS subscribers (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      name TEXT,
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN (${STATUS_LIST})),
      topics TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      status_changed_at TEXT,
      bounce_count INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS delivery_settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `);
  allowEveryStatus(db);
  ready.add(db);
}

const STATUS_LIST = SUBSCRIBER_STATUSES.map((status) => `'${status}'`).join(', ');
/** Connections whose table is known to be there and current (the check runs once per connection). */
const ready = new WeakSet<StateDb>();

/**
 * A state file made before 'paused' existed has a CHECK that refuses it, and SQLite cannot alter
 * a CHECK: the table is rebuilt (SQLite's documented 12-step way, foreign keys off so dropping
 * the old table does not cascade to the ledger), keeping ids and the AUTOINCREMENT counter.
 */
function allowEveryStatus(db: StateDb): void {
  const row = db
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'subscribers'")
    .get() as { sql: string } | undefined;
  if (!row || row.sql.includes("'paused'")) return;
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      db.exec(`
        CREATE TABLE subscribers_new (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          email TEXT NOT NULL UNIQUE COLLATE NOCASE,
          name TEXT,
          status TEXT NOT NULL DEFAULT 'active' CHECK (status IN (${STATUS_LIST})),
          topics TEXT NOT NULL DEFAULT '',
          created_at TEXT NOT NULL,
          status_changed_at TEXT,
          bounce_count INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO subscribers_new (id, email, name, status, topics, created_at, status_changed_at, bounce_count)
          SELECT id, email, name, status, topics, created_at, status_changed_at, bounce_count FROM subscribers;
        DELETE FROM sqlite_sequence WHERE name = 'subscribers_new';
        INSERT INTO sqlite_sequence (name, seq) SELECT 'subscribers_new', seq FROM sqlite_sequence WHERE name = 'subscribers';
        DROP TABLE subscribers;
        ALTER TABLE subscribers_new RENAME TO subscribers;
      `);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0)
        throw new Error('subscribers table rebuild broke a foreign key; nothing changed');
    })();
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
}

export interface SubscriberRow {
  id: number;
  email: string;
  name: string | null;
  status: SubscriberStatus;
  topics: string;
  created_at: string;
  bounce_count: number;
}

export function toSubscriber(row: SubscriberRow): Subscriber {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    status: row.status,
    topics: row.topics === '' ? [] : row.topics.split(';'),
    createdAt: row.created_at,
    bounceCount: row.bounce_count,
  };
}

export interface NewSubscriber {
  email: string;
  name?: string | null;
  topics?: string[];
  /** Active unless said otherwise: an import of an export keeps who unsubscribed or bounced. */
  status?: SubscriberStatus;
}

export type AddResult = { added: true; subscriber: Subscriber } | { added: false; existing: Subscriber };

/** Adds an address; an address already on the list (any status) is left untouched and returned. */
export function addSubscriber(db: StateDb, input: NewSubscriber, now: string): AddResult {
  ensureSubscribersTable(db);
  const existing = findSubscriberByEmail(db, input.email);
  if (existing) return { added: false, existing };
  const status = input.status ?? 'active';
  const info = db
    .prepare(
      'INSERT INTO subscribers (email, name, topics, status, created_at, status_changed_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(
      input.email,
      input.name ?? null,
      (input.topics ?? []).join(';'),
      status,
      now,
      status === 'active' ? null : now,
    );
  const subscriber = getSubscriber(db, Number(info.lastInsertRowid));
  if (!subscriber) throw new Error('subscriber vanished right after insert');
  return { added: true, subscriber };
}

export type ImportResult =
  | { kind: 'added'; subscriber: Subscriber }
  /** Was active; the file says unsubscribed or bounced, and an opt-out is always honoured. */
  | { kind: 'status-applied'; subscriber: Subscriber; was: SubscriberStatus }
  | { kind: 'unchanged'; existing: Subscriber };

/**
 * One imported row. A new address is added with the row's status; an address already on the list
 * keeps its name and topics, and only ever moves from active to the row's unsubscribed or
 * bounced. Nothing here makes anyone active again: that is `add --reactivate`, at the owner's
 * request.
 */
export function importSubscriber(db: StateDb, input: NewSubscriber, now: string): ImportResult {
  const result = addSubscriber(db, input, now);
  if (result.added) return { kind: 'added', subscriber: result.subscriber };
  const { existing } = result;
  const status = input.status ?? 'active';
  if (existing.status !== 'active' || status === 'active') return { kind: 'unchanged', existing };
  setSubscriberStatus(db, existing.id, status, now);
  return { kind: 'status-applied', subscriber: { ...existing, status }, was: existing.status };
}

export function getSubscriber(db: StateDb, id: number): Subscriber | null {
  ensureSubscribersTable(db);
  const row = db.prepare('SELECT * FROM subscribers WHERE id = ?').get(id) as SubscriberRow | undefined;
  return row ? toSubscriber(row) : null;
}

export function findSubscriberByEmail(db: StateDb, email: string): Subscriber | null {
  ensureSubscribersTable(db);
  const row = db.prepare('SELECT * FROM subscribers WHERE email = ?').get(email) as SubscriberRow | undefined;
  return row ? toSubscriber(row) : null;
}

/** Everyone, in id order (the order they joined), optionally only one status. */
export function listSubscribers(db: StateDb, status?: SubscriberStatus): Subscriber[] {
  ensureSubscribersTable(db);
  const rows = (
    status
      ? db.prepare('SELECT * FROM subscribers WHERE status = ? ORDER BY id').all(status)
      : db.prepare('SELECT * FROM subscribers ORDER BY id').all()
  ) as SubscriberRow[];
  return rows.map(toSubscriber);
}

/** Sets a status; returns false when there is no such subscriber. Idempotent. */
export function setSubscriberStatus(db: StateDb, id: number, status: SubscriberStatus, now: string): boolean {
  ensureSubscribersTable(db);
  const info = db
    .prepare(
      `UPDATE subscribers SET status = ?, status_changed_at = CASE WHEN status = ? THEN status_changed_at ELSE ? END
       WHERE id = ?`,
    )
    .run(status, status, now, id);
  return info.changes === 1;
}

/** Sets the topics a subscriber wants (empty: everything); false when there is no such subscriber. */
export function setSubscriberTopics(db: StateDb, id: number, topics: string[]): boolean {
  ensureSubscribersTable(db);
  return db.prepare('UPDATE subscribers SET topics = ? WHERE id = ?').run(topics.join(';'), id).changes === 1;
}

/**
 * Counts one permanent failure (a 5xx for this recipient) and marks the subscriber bounced
 * once `threshold` failures are reached. Returns the subscriber as it is now.
 */
export function recordBounce(db: StateDb, id: number, threshold: number, now: string): Subscriber | null {
  ensureSubscribersTable(db);
  db.transaction(() => {
    db.prepare('UPDATE subscribers SET bounce_count = bounce_count + 1 WHERE id = ?').run(id);
    db.prepare(
      `UPDATE subscribers SET status = 'bounced', status_changed_at = ?
       WHERE id = ? AND status = 'active' AND bounce_count >= ?`,
    ).run(now, id, threshold);
  })();
  return getSubscriber(db, id);
}

/** A delivery got through: earlier permanent failures no longer count (the threshold means "in a row"). */
export function clearBounces(db: StateDb, id: number): void {
  ensureSubscribersTable(db);
  db.prepare('UPDATE subscribers SET bounce_count = 0 WHERE id = ? AND bounce_count > 0').run(id);
}

/** Erases a subscriber (and, through the ledger's foreign key, their delivery records). */
export function deleteSubscriber(db: StateDb, id: number): boolean {
  ensureSubscribersTable(db);
  return db.prepare('DELETE FROM subscribers WHERE id = ?').run(id).changes === 1;
}

/**
 * The secret unsubscribe tokens are signed with when BROADSHEET_UNSUBSCRIBE_SECRET is not set
 * (local outbox mode): made once from `generate` and kept, so links in earlier messages keep
 * working. Returns whether it was just created, so the CLI can say so.
 */
export function getOrCreateLocalSecret(
  db: StateDb,
  generate: () => string,
): { secret: string; created: boolean } {
  ensureSubscribersTable(db);
  return db.transaction(() => {
    const row = db.prepare("SELECT value FROM delivery_settings WHERE key = 'unsubscribe_secret'").get() as
      | { value: string }
      | undefined;
    if (row) return { secret: row.value, created: false };
    const secret = generate();
    db.prepare("INSERT INTO delivery_settings (key, value) VALUES ('unsubscribe_secret', ?)").run(secret);
    return { secret, created: true };
  })();
}

/** The stored local secret, if any, without creating one (for `--dry-run` and `serve`). */
export function readLocalSecret(db: StateDb): string | null {
  ensureSubscribersTable(db);
  const row = db.prepare("SELECT value FROM delivery_settings WHERE key = 'unsubscribe_secret'").get() as
    | { value: string }
    | undefined;
  return row?.value ?? null;
}

/** A page of `listSubscribers`: ids after `afterId`, at most `limit` (a long list read in pages). */
export function listSubscribersAfter(
  db: StateDb,
  afterId: number,
  limit: number,
  status?: SubscriberStatus,
): Subscriber[] {
  ensureSubscribersTable(db);
  const rows = (
    status
      ? db
          .prepare('SELECT * FROM subscribers WHERE status = ? AND id > ? ORDER BY id LIMIT ?')
          .all(status, afterId, limit)
      : db.prepare('SELECT * FROM subscribers WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit)
  ) as SubscriberRow[];
  return rows.map(toSubscriber);
}
