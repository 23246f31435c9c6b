import type { StoredIdentity } from '../normalize/index.ts';
import type { StateDb } from './db.ts';

/**
 * The identity store: one row per story ever built, so ids, slugs and first-seen dates never
 * move between builds (normalize matches articles back to these rows). Rows are never deleted:
 * a story that leaves `articles/` and comes back keeps its id, and its slug is never reused.
 */
export function ensureItemsTable(db: StateDb): void {
  db.exec(`CREATE TABLE IF NOT EXISTS item_identities (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    first_seen TEXT NOT NULL,
    title_key TEXT NOT NULL,
    canonical_url TEXT,
    source_file TEXT,
    content_hash TEXT NOT NULL,
    edited_at TEXT,
    text_sample TEXT NOT NULL
  )`);
}

interface IdentityRow {
  id: string;
  slug: string;
  first_seen: string;
  title_key: string;
  canonical_url: string | null;
  source_file: string | null;
  content_hash: string;
  edited_at: string | null;
  text_sample: string;
}

/** Every stored identity, in first-seen order (ties by id) so matching is deterministic. */
export function loadIdentities(db: StateDb): StoredIdentity[] {
  ensureItemsTable(db);
  const rows = db.prepare('SELECT * FROM item_identities ORDER BY first_seen, id').all() as IdentityRow[];
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    firstSeen: row.first_seen,
    titleKey: row.title_key,
    canonicalUrl: row.canonical_url,
    sourceFile: row.source_file,
    contentHash: row.content_hash,
    editedAt: row.edited_at,
    textSample: row.text_sample,
  }));
}

/**
 * Inserts new identities and updates the matching fields of known ones, in one transaction.
 * id, slug and first_seen of an existing row are never overwritten.
 */
export function saveIdentities(db: StateDb, identities: StoredIdentity[]): void {
  ensureItemsTable(db);
  const upsert = db.prepare(`INSERT INTO item_identities
      (id, slug, first_seen, title_key, canonical_url, source_file, content_hash, edited_at, text_sample)
    VALUES (@id, @slug, @firstSeen, @titleKey, @canonicalUrl, @sourceFile, @contentHash, @editedAt, @textSample)
    ON CONFLICT(id) DO UPDATE SET
      title_key = excluded.title_key,
      canonical_url = excluded.canonical_url,
      source_file = excluded.source_file,
      content_hash = excluded.content_hash,
      edited_at = excluded.edited_at,
      text_sample = excluded.text_sample`);
  db.transaction((rows: StoredIdentity[]) => {
    for (const row of rows) upsert.run(row);
  })(identities);
}
