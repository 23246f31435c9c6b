import type { Subscriber } from '../types.ts';
import type { StateDb } from './db.ts';
import {
  addSubscriber,
  deleteSubscriber,
  findSubscriberByEmail,
  getSubscriber,
  setSubscriberStatus,
  setSubscriberTopics,
} from './subscribers.ts';
import { suppress } from './suppression.ts';

/**
 * Signups waiting for their confirmation (double opt-in), and the request counts the signup
 * endpoint's rate limits are kept by.
 *
 * A pending signup is not a subscriber: it lives in its own table until the person confirms, so
 * nothing that reads the list (`send`, `subscribers list` and export, `report`) can see an
 * address nobody has confirmed, and a stranger typing someone's address changes nothing about
 * that person's existing row. Expired signups are ignored by every read and purged by `purge`.
 *
 * `signup_attempts` holds only keys the caller made (hashes of a client address or an email),
 * never an address in clear.
 */
export function ensureSignupTables(db: StateDb): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS signups (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      topics TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      mailed_at TEXT
    );
    CREATE TABLE IF NOT EXISTS signup_attempts (
      key TEXT NOT NULL,
      at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS signup_attempts_by_key ON signup_attempts (key, at);
  `);
}

export interface PendingSignup {
  id: number;
  email: string;
  topics: string[];
  createdAt: string;
  expiresAt: string;
  /** When the last confirmation mail went out; null before the first. */
  mailedAt: string | null;
}

export interface SignupRow {
  id: number;
  email: string;
  topics: string;
  created_at: string;
  expires_at: string;
  mailed_at: string | null;
}

export function toSignup(row: SignupRow): PendingSignup {
  return {
    id: row.id,
    email: row.email,
    topics: row.topics === '' ? [] : row.topics.split(';'),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    mailedAt: row.mailed_at,
  };
}

/**
 * Records (or renews) the pending signup for an address: a live one gets the new topics and a
 * new expiry and keeps its id (so a link already mailed keeps working); an expired one is
 * replaced. Times are ISO 8601 UTC strings, compared as text.
 */
export function recordPendingSignup(
  db: StateDb,
  input: { email: string; topics: string[] },
  now: string,
  expiresAt: string,
): PendingSignup {
  ensureSignupTables(db);
  return db.transaction(() => {
    db.prepare('DELETE FROM signups WHERE email = ? AND expires_at <= ?').run(input.email, now);
    db.prepare(
      `INSERT INTO signups (email, topics, created_at, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (email) DO UPDATE SET topics = excluded.topics, expires_at = excluded.expires_at`,
    ).run(input.email, input.topics.join(';'), now, expiresAt);
    const row = db.prepare('SELECT * FROM signups WHERE email = ?').get(input.email) as SignupRow;
    return toSignup(row);
  })();
}

/** The pending signup with this id, or null when there is none or it has expired. */
export function pendingSignup(db: StateDb, id: number, now: string): PendingSignup | null {
  ensureSignupTables(db);
  const row = db.prepare('SELECT * FROM signups WHERE id = ? AND expires_at > ?').get(id, now) as
    | SignupRow
    | undefined;
  return row ? toSignup(row) : null;
}

export function markSignupMailed(db: StateDb, id: number, now: string): void {
  ensureSignupTables(db);
  db.prepare('UPDATE signups SET mailed_at = ? WHERE id = ?').run(now, id);
}

/**
 * The person confirmed: they are on the list, active, with the topics they chose. An address
 * already on the list (unsubscribed, paused, bounced by an old report) comes back active: the
 * confirmation is their own request. The pending row is gone afterwards, so its link is spent.
 */
export function confirmSignup(db: StateDb, signup: PendingSignup, now: string): Subscriber {
  ensureSignupTables(db);
  return db.transaction(() => {
    db.prepare('DELETE FROM signups WHERE id = ?').run(signup.id);
    const existing = findSubscriberByEmail(db, signup.email);
    if (!existing) {
      const added = addSubscriber(db, { email: signup.email, topics: signup.topics }, now);
      if (!added.added) throw new Error('subscriber appeared during the confirmation');
      return added.subscriber;
    }
    setSubscriberStatus(db, existing.id, 'active', now);
    setSubscriberTopics(db, existing.id, signup.topics);
    const subscriber = getSubscriber(db, existing.id);
    if (!subscriber) throw new Error('subscriber vanished during the confirmation');
    return subscriber;
  })();
}

/** Drops any pending signup for an address (an erasure must leave none behind). */
export function forgetSignup(db: StateDb, email: string): void {
  ensureSignupTables(db);
  db.prepare('DELETE FROM signups WHERE email = ?').run(email);
}

/**
 * Counts one request under each key and says how many each key had since `since` (this one
 * included). Old attempts (before `forgetBefore`) are dropped on the way.
 */
export function countAttempts(
  db: StateDb,
  keys: { key: string; since: string }[],
  now: string,
  forgetBefore: string,
): number[] {
  ensureSignupTables(db);
  return db.transaction(() => {
    db.prepare('DELETE FROM signup_attempts WHERE at < ?').run(forgetBefore);
    const insert = db.prepare('INSERT INTO signup_attempts (key, at) VALUES (?, ?)');
    const count = db.prepare('SELECT COUNT(*) AS n FROM signup_attempts WHERE key = ? AND at >= ?');
    return keys.map(({ key, since }) => {
      insert.run(key, now);
      return (count.get(key, since) as { n: number }).n;
    });
  })();
}

/** Removes expired signups; returns how many. */
export function purgeExpiredSignups(db: StateDb, now: string): number {
  ensureSignupTables(db);
  return db.prepare('DELETE FROM signups WHERE expires_at <= ?').run(now).changes;
}

/**
 * A GDPR erasure: the row and its delivery records go (the ledger's foreign key cascades), any
 * pending signup too, and only a hash of the address stays, on the suppression list, so it is
 * never mailed again nor added back.
 */
export function eraseSubscriber(
  db: StateDb,
  subscriber: Pick<Subscriber, 'id' | 'email'>,
  now: string,
): void {
  ensureSignupTables(db);
  db.transaction(() => {
    deleteSubscriber(db, subscriber.id);
    forgetSignup(db, subscriber.email);
    suppress(db, subscriber.email, 'erased', now);
  })();
}
