import type { Statement } from 'better-sqlite3';
import { type SampleSource, type StoredIdentity, storedSample, withLazySample } from '../normalize/index.ts';
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
  // A counter every change to the table bumps, whoever makes it (triggers, so a build in
  // another process or a hand edit counts too): a warm rebuild reuses the identities it
  // loaded last time only while the counter is where it left it.
  db.exec(`CREATE TABLE IF NOT EXISTS item_identities_generation (n INTEGER NOT NULL);
    INSERT INTO item_identities_generation (n)
      SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM item_identities_generation);
    CREATE TRIGGER IF NOT EXISTS item_identities_inserted AFTER INSERT ON item_identities
      BEGIN UPDATE item_identities_generation SET n = n + 1; END;
    CREATE TRIGGER IF NOT EXISTS item_identities_updated AFTER UPDATE ON item_identities
      BEGIN UPDATE item_identities_generation SET n = n + 1; END;
    CREATE TRIGGER IF NOT EXISTS item_identities_deleted AFTER DELETE ON item_identities
      BEGIN UPDATE item_identities_generation SET n = n + 1; END;`);
}

/**
 * Reads stored text samples by id, from the connection of the latest load: the identities a
 * memo keeps outlive the connection they were loaded on (serve closes each build's snapshot,
 * build --watch each build's connection), so their samples read through this, never through
 * a connection of their own. The memo hands identities out only for the table's generation the
 * current connection is at, so the row read is the row they were loaded from.
 */
export class SampleReader implements SampleSource {
  private db: StateDb | undefined;
  private statement: Statement<[string], string> | undefined;

  use(db: StateDb): void {
    if (db === this.db) return;
    this.db = db;
    this.statement = undefined;
  }

  sampleOf(id: string): string {
    if (!this.db) throw new Error('no state database to read the text sample from');
    this.statement ??= this.db
      .prepare<[string], string>('SELECT text_sample FROM item_identities WHERE id = ?')
      .pluck();
    const sample = this.statement.get(id);
    if (sample === undefined) throw new Error(`no stored text sample for ${id}`);
    return sample;
  }
}

/**
 * The identities a process loaded or saved last (`serve`, the bench's warm rebuild), with the
 * table's generation they match. Loading 10k identities costs more than the rest of a one-edit
 * rebuild. Their samples stay in the database (`samples`).
 */
export class IdentityMemo {
  /** Generation → identities, as the table held them at that generation (newest two kept). */
  readonly byGeneration = new Map<number, StoredIdentity[]>();
  readonly samples = new SampleReader();

  remember(generation: number, identities: StoredIdentity[]): void {
    this.byGeneration.set(generation, identities);
    // serve builds on a snapshot it rolls back, so the generation it loaded comes round again;
    // a build that saves moves to the next. Two entries cover both.
    while (this.byGeneration.size > 2)
      this.byGeneration.delete(this.byGeneration.keys().next().value as number);
  }
}

function generationOf(db: StateDb): number {
  return db.prepare('SELECT n FROM item_identities_generation').pluck().get() as number;
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
}

/**
 * Every stored identity, in first-seen order (ties by id) so matching is deterministic. Their
 * `textSample` is read from `db` (through the memo's reader, when given) each time it is asked.
 */
export function loadIdentities(db: StateDb, memo?: IdentityMemo): StoredIdentity[] {
  ensureItemsTable(db);
  if (memo) {
    memo.samples.use(db);
    const generation = generationOf(db);
    const remembered = memo.byGeneration.get(generation);
    if (remembered) return remembered;
    const loaded = readIdentities(db, memo.samples);
    memo.remember(generation, loaded);
    return loaded;
  }
  const samples = new SampleReader();
  samples.use(db);
  return readIdentities(db, samples);
}

function readIdentities(db: StateDb, samples: SampleReader): StoredIdentity[] {
  // Without text_sample: the samples are ~2 KB each and matching reads a few of them.
  const rows = db
    .prepare(`SELECT id, slug, first_seen, title_key, canonical_url, source_file, content_hash, edited_at
      FROM item_identities ORDER BY first_seen, id`)
    .all() as IdentityRow[];
  return rows.map((row) =>
    withLazySample(
      {
        id: row.id,
        slug: row.slug,
        firstSeen: row.first_seen,
        titleKey: row.title_key,
        canonicalUrl: row.canonical_url,
        sourceFile: row.source_file,
        contentHash: row.content_hash,
        editedAt: row.edited_at,
      },
      samples,
    ),
  );
}

/**
 * Inserts new identities and updates the matching fields of known ones, in one transaction.
 * id, slug and first_seen of an existing row are never overwritten.
 */
export function saveIdentities(
  db: StateDb,
  identities: StoredIdentity[],
  memo?: IdentityMemo,
  before?: StoredIdentity[],
): void {
  ensureItemsTable(db);
  const generation = memo ? generationOf(db) : 0;
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
    for (const row of rows) upsert.run(rowOf(row));
  })(identities);
  // What the table holds now, worked out in memory instead of read back: valid only when
  // `before` was the table at the generation the save started from (no other writer between).
  if (memo && before && identities.length > 0 && memo.byGeneration.get(generation) === before) {
    memo.remember(generationOf(db), applySaved(before, identities, memo.samples));
  }
}

/** What the upsert binds: the identity's fields, its sample as the state keeps it. */
function rowOf(identity: StoredIdentity): StoredIdentity {
  return {
    id: identity.id,
    slug: identity.slug,
    firstSeen: identity.firstSeen,
    titleKey: identity.titleKey,
    canonicalUrl: identity.canonicalUrl,
    sourceFile: identity.sourceFile,
    contentHash: identity.contentHash,
    editedAt: identity.editedAt,
    textSample: storedSample(identity.textSample),
  };
}

/** `before` with the saved rows upserted as the SQL above does, in the table's load order. */
function applySaved(
  before: StoredIdentity[],
  saved: StoredIdentity[],
  samples: SampleReader,
): StoredIdentity[] {
  const position = new Map(before.map((identity, i) => [identity.id, i]));
  const after = before.slice();
  const added = new Map<string, StoredIdentity>();
  for (const row of saved) {
    const at = position.get(row.id);
    const old = at === undefined ? added.get(row.id) : before[at];
    // The sample as saved, read back from the table when asked (`row`'s may hold its article).
    const next = withLazySample(
      {
        id: row.id,
        // id, slug and first_seen of a stored row are never overwritten.
        slug: old ? old.slug : row.slug,
        firstSeen: old ? old.firstSeen : row.firstSeen,
        titleKey: row.titleKey,
        canonicalUrl: row.canonicalUrl,
        sourceFile: row.sourceFile,
        contentHash: row.contentHash,
        editedAt: row.editedAt,
      },
      samples,
    );
    // An updated row keeps its place (its sort fields never change); only new rows sort in.
    if (at === undefined) added.set(row.id, next);
    else after[at] = next;
  }
  if (added.size === 0) return after;
  return after.concat([...added.values()]).sort(byLoadOrder);
}

function byLoadOrder(a: StoredIdentity, b: StoredIdentity): number {
  return compareBinary(a.firstSeen, b.firstSeen) || compareBinary(a.id, b.id);
}

/**
 * SQLite's BINARY collation: UTF-8 byte order, which is code point order. JavaScript's `<`
 * compares UTF-16 units, which differs only when a surrogate pair meets U+E000-U+FFFF.
 */
export function compareBinary(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      return (a.codePointAt(i) as number) < (b.codePointAt(i) as number) ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}
