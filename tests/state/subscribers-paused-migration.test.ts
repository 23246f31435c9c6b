import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openState } from '../../src/state/db.ts';
import { countDeliveries } from '../../src/state/ledger.ts';
import { addSubscriber, getSubscriber, setSubscriberStatus } from '../../src/state/subscribers.ts';
import { tempDir } from '../helpers/temp.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A state file as versions before 'paused' wrote it: the old CHECK, two subscribers, one erased, a ledger. */
function oldStateFile(): string {
  const dir = tempDir('broadsheet-paused-');
  dirs.push(dir);
  const path = join(dir, 'state.db');
  const db = new Database(path);
  db.exec(`
    CREATE TABLE subscribers (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      name TEXT,
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'unsubscribed', 'bounced')),
      topics TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      status_changed_at TEXT,
      bounce_count INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE delivery_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE deliveries (
      edition_id TEXT NOT NULL,
      subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
      state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
      message_id TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (edition_id, subscriber_id)
    ) WITHOUT ROWID;
    INSERT INTO subscribers (email, topics, created_at) VALUES ('ann@example.org', 'transit', '2026-11-01T00:00:00.000Z');
    INSERT INTO subscribers (email, created_at) VALUES ('bob@example.org', '2026-11-01T00:00:00.000Z');
    INSERT INTO subscribers (email, created_at) VALUES ('cat@example.org', '2026-11-01T00:00:00.000Z');
    DELETE FROM subscribers WHERE id = 3;
    INSERT INTO deliveries VALUES ('2026-11-24', 1, 'sent', '<a@x>', 1, NULL, '2026-11-24T12:00:00.000Z');
    INSERT INTO deliveries VALUES ('2026-11-24', 2, 'sent', '<b@x>', 1, NULL, '2026-11-24T12:00:00.000Z');
  `);
  db.close();
  return path;
}

describe("an old state file and the 'paused' status", () => {
  it('is rebuilt to allow it, keeping rows, ids, the ledger and the id counter', () => {
    const db = openState(oldStateFile());
    try {
      expect(setSubscriberStatus(db, 1, 'paused', '2026-11-25T00:00:00.000Z')).toBe(true);
      expect(getSubscriber(db, 1)).toMatchObject({
        email: 'ann@example.org',
        status: 'paused',
        topics: ['transit'],
      });
      expect(getSubscriber(db, 2)?.status).toBe('active');
      expect(countDeliveries(db, '2026-11-24')).toMatchObject({ sent: 2 });
      // The erased id 3 is not handed out again.
      const added = addSubscriber(db, { email: 'dee@example.org' }, '2026-11-25T00:00:00.000Z');
      expect(added.added && added.subscriber.id).toBe(4);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });
});
