import type { Edition, EditionSummary, Item } from '../types.ts';
import type { StateDb } from './db.ts';
import { countDeliveries, ensureLedgerTable } from './ledger.ts';

/**
 * Editions built so far: the Edition model (JSON) and its rendered email (HTML, text) and web
 * view, exactly as compiled once. `send` renders what `build` selected, the next edition starts
 * where the last one ended, and the archive re-emits past editions byte for byte without
 * recompiling MJML (so a template change never rewrites history).
 */

/** An edition with its compiled outputs, as recorded. */
export interface StoredEdition {
  edition: Edition;
  /** 'since-last' | 'daily' | 'weekly' | 'since': how its window was chosen. */
  period: string;
  subject: string;
  preheader: string;
  /** Email HTML with UNSUBSCRIBE_URL_PLACEHOLDER. */
  html: string;
  /** Plain-text part with UNSUBSCRIBE_URL_PLACEHOLDER. */
  text: string;
  /** The web view (no placeholder). */
  webHtml: string;
  /** The build time that created it (ISO 8601). */
  createdAt: string;
}

interface EditionRow {
  id: string;
  period: string;
  created_at: string;
  edition_json: string;
  subject: string;
  preheader: string;
  html: string;
  text: string;
  web_html: string;
}

const initialized = new WeakSet<StateDb>();

function ensureTable(db: StateDb): void {
  if (initialized.has(db)) return;
  // seq orders editions as they were built: readable ids (2026-11-24, 2026-W48, 2026-11-24-2) do not sort that way.
  db.exec(`CREATE TABLE IF NOT EXISTS editions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    period TEXT NOT NULL,
    since TEXT,
    until TEXT NOT NULL,
    story_count INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    edition_json TEXT NOT NULL,
    subject TEXT NOT NULL,
    preheader TEXT NOT NULL,
    html TEXT NOT NULL,
    text TEXT NOT NULL,
    web_html TEXT NOT NULL
  )`);
  // The web view's URL in a column of its own: listing editions (every build does, for the
  // archive) must not parse each edition's JSON, which is MBs for a 1,000-story edition.
  // Rows recorded before the column existed get it from their JSON, once.
  const columns = db.prepare("SELECT name FROM pragma_table_info('editions')").pluck().all();
  if (!columns.includes('url')) {
    db.exec(`ALTER TABLE editions ADD COLUMN url TEXT;
      UPDATE editions SET url = json_extract(edition_json, '$.url');`);
  }
  ensureEditionItems(db);
  initialized.add(db);
}

/**
 * Which stories each recorded edition carried, by stable item id: a story whose date a
 * re-export moved into a later window must not reach readers twice. Editions recorded before
 * this table existed get their rows from their JSON, once.
 */
function ensureEditionItems(db: StateDb): void {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'edition_items'")
    .get();
  if (exists) return;
  db.transaction(() => {
    db.exec(`CREATE TABLE edition_items (
      item_id TEXT NOT NULL,
      edition_id TEXT NOT NULL,
      PRIMARY KEY (item_id, edition_id)
    ) WITHOUT ROWID`);
    const rows = db.prepare('SELECT edition_json FROM editions').pluck().all() as string[];
    for (const json of rows) insertEditionItems(db, JSON.parse(json) as Partial<Edition>);
  })();
}

/** Read from stored JSON too, so a row of an older shape (no lead, no sections) gives what it has. */
export function editionItemIds(edition: Partial<Edition>): string[] {
  const sections = edition.sections ?? [];
  const ids = [edition.lead?.id, ...sections.flatMap((section) => section.items.map((item) => item.id))];
  return ids.filter((id): id is string => typeof id === 'string');
}

function insertEditionItems(db: StateDb, edition: Partial<Edition>): void {
  const insert = db.prepare('INSERT OR IGNORE INTO edition_items (item_id, edition_id) VALUES (?, ?)');
  for (const itemId of editionItemIds(edition)) insert.run(itemId, edition.id ?? '');
}

/**
 * The stories of a recorded edition whose text changed since it was recorded, as the last build
 * saw them (their content hash in the identity table): `send` would mail the old text.
 */
export function storiesChangedSince(db: StateDb, edition: Edition): Item[] {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'item_identities'")
    .get();
  if (!table) return [];
  const current = db.prepare('SELECT content_hash FROM item_identities WHERE id = ?').pluck();
  const items = [edition.lead, ...edition.sections.flatMap((section) => section.items)];
  return items.filter((item) => {
    const hash = current.get(item.id);
    return typeof hash === 'string' && hash !== item.contentHash;
  });
}

/**
 * Ids of every story some recorded edition carried: a new edition leaves them out. A rebuilt
 * edition names itself in `except`: its own stories are its to keep.
 */
export function recordedItemIds(db: StateDb, except?: string): Set<string> {
  ensureTable(db);
  const ids = db
    .prepare('SELECT DISTINCT item_id FROM edition_items WHERE edition_id IS NOT ?')
    .pluck()
    .all(except ?? null) as string[];
  return new Set(ids);
}

/** Records a newly built edition. An id is written once: a second save of the same id is an error. */
export function saveEdition(db: StateDb, stored: StoredEdition, storyCount: number): void {
  ensureTable(db);
  const e = stored.edition;
  db.transaction(() => {
    insertEdition(db, stored, storyCount);
    insertEditionItems(db, e);
  })();
}

/**
 * Replaces an unsent edition's row with a rebuilt one of the same id, in place: it keeps its
 * place among the editions (seq), so the next edition still starts where the latest one ended.
 */
export function replaceEdition(db: StateDb, stored: StoredEdition, storyCount: number): void {
  ensureTable(db);
  const e = stored.edition;
  db.transaction(() => {
    const changed = db
      .prepare(
        `UPDATE editions SET period = @period, since = @since, until = @until, story_count = @storyCount,
           created_at = @createdAt, edition_json = @json, subject = @subject, preheader = @preheader,
           html = @html, text = @text, web_html = @webHtml, url = @url WHERE id = @id`,
      )
      .run(editionRow(stored, storyCount)).changes;
    if (changed !== 1) throw new Error(`no edition "${e.id}" to replace`);
    db.prepare('DELETE FROM edition_items WHERE edition_id = ?').run(e.id);
    insertEditionItems(db, e);
    clearUnsentDeliveries(db, e.id);
  })();
}

/**
 * Forgets an edition and which stories it carried: they go to the next edition built. The
 * caller checks the ledger first; an edition anyone was sent is history and stays.
 */
export function deleteEdition(db: StateDb, id: string): boolean {
  ensureTable(db);
  return db.transaction(() => {
    db.prepare('DELETE FROM edition_items WHERE edition_id = ?').run(id);
    clearUnsentDeliveries(db, id);
    return db.prepare('DELETE FROM editions WHERE id = ?').run(id).changes === 1;
  })();
}

/**
 * What an edition never delivered (pending, failed, skipped rows) goes with it: a failed or
 * skipped row is never tried again, and a rebuilt edition (or a new one with the same id) has
 * other stories for other readers. Sent and in-doubt rows are history; callers refuse first.
 */
function clearUnsentDeliveries(db: StateDb, id: string): void {
  ensureLedgerTable(db);
  db.prepare("DELETE FROM deliveries WHERE edition_id = ? AND state IN ('pending', 'failed', 'skipped')").run(
    id,
  );
}

/** How many messages of an edition reached (or may have reached) a reader: sent or in doubt. */
export function deliveredCount(db: StateDb, id: string): { sent: number; inDoubt: number } {
  ensureLedgerTable(db);
  const counts = countDeliveries(db, id);
  return { sent: counts.sent, inDoubt: counts.sending };
}

function insertEdition(db: StateDb, stored: StoredEdition, storyCount: number): void {
  db.prepare(
    `INSERT INTO editions (id, period, since, until, story_count, created_at, edition_json, subject, preheader, html, text, web_html, url)
     VALUES (@id, @period, @since, @until, @storyCount, @createdAt, @json, @subject, @preheader, @html, @text, @webHtml, @url)`,
  ).run(editionRow(stored, storyCount));
}

/** A recorded edition's columns, as named parameters: one list for insert and replace. */
function editionRow(stored: StoredEdition, storyCount: number) {
  const e = stored.edition;
  return {
    id: e.id,
    period: stored.period,
    since: e.since,
    until: e.until,
    storyCount,
    createdAt: stored.createdAt,
    json: JSON.stringify(e),
    subject: stored.subject,
    preheader: stored.preheader,
    html: stored.html,
    text: stored.text,
    webHtml: stored.webHtml,
    url: e.url,
  };
}

/** The `editions` columns a recorded edition is written with, in `editionRow`'s order (for PostgreSQL). */
export const EDITION_COLUMNS =
  'id, period, since, until, story_count, created_at, edition_json, subject, preheader, html, text, web_html, url';

/** `editionRow`'s values in EDITION_COLUMNS order, for positional parameters. */
export function editionRowValues(stored: StoredEdition, storyCount: number): unknown[] {
  return Object.values(editionRow(stored, storyCount));
}

/** The Edition model by id, or the most recently built one for 'latest'; null when none. */
export function getEdition(db: StateDb, id: string | 'latest'): Edition | null {
  return getStoredEdition(db, id)?.edition ?? null;
}

/** The edition with its compiled email and web view, or null. */
export function getStoredEdition(db: StateDb, id: string | 'latest'): StoredEdition | null {
  ensureTable(db);
  const row = (
    id === 'latest'
      ? db.prepare('SELECT * FROM editions ORDER BY seq DESC LIMIT 1').get()
      : db.prepare('SELECT * FROM editions WHERE id = ?').get(id)
  ) as EditionRow | undefined;
  if (!row) return null;
  return {
    edition: JSON.parse(row.edition_json) as Edition,
    period: row.period,
    subject: row.subject,
    preheader: row.preheader,
    html: row.html,
    text: row.text,
    webHtml: row.web_html,
    createdAt: row.created_at,
  };
}

/** Every edition, newest (last built) first. */
export function listEditions(db: StateDb): EditionSummary[] {
  ensureTable(db);
  const rows = db
    .prepare(`SELECT ${SUMMARY_COLUMNS} FROM editions ORDER BY seq DESC`)
    .all() as EditionSummaryRow[];
  return rows.map(toEditionSummary);
}

/** The `editions` columns a summary is made of (SQLite and PostgreSQL alike). */
export const SUMMARY_COLUMNS = 'id, subject, preheader, since, until, story_count, created_at, url';

export interface EditionSummaryRow {
  id: string;
  subject: string;
  preheader: string;
  since: string | null;
  until: string;
  story_count: number;
  created_at: string;
  url: string;
}

export function toEditionSummary(r: EditionSummaryRow): EditionSummary {
  return {
    id: r.id,
    subject: r.subject,
    preheader: r.preheader,
    url: r.url,
    since: r.since,
    until: r.until,
    storyCount: r.story_count,
    createdAt: r.created_at,
  };
}

/** Every edition id taken so far (for the same-day suffix). */
export function editionIds(db: StateDb): Set<string> {
  ensureTable(db);
  return new Set((db.prepare('SELECT id FROM editions').pluck().all() as string[]).map(String));
}

/** When the most recent edition's window ends (ISO 8601), or null before the first edition. */
export function latestEditionUntil(db: StateDb): string | null {
  ensureTable(db);
  const until = db.prepare('SELECT until FROM editions ORDER BY seq DESC LIMIT 1').pluck().get();
  return typeof until === 'string' ? until : null;
}

/** One compiled part of a recorded edition, read alone (an edition of 1,000 stories is MBs). */
export type EditionPart = 'html' | 'text' | 'web_html';

export function getEditionPart(db: StateDb, id: string, part: EditionPart): string | null {
  ensureTable(db);
  const column = { html: 'html', text: 'text', web_html: 'web_html' }[part];
  const value = db.prepare(`SELECT ${column} FROM editions WHERE id = ?`).pluck().get(id);
  return typeof value === 'string' ? value : null;
}

/**
 * What identifies a recorded edition's bytes without reading them: a recorded edition never
 * changes, so its id, creation time and part lengths change only when the row is replaced
 * (another state file, a restored backup).
 */
export function editionStamps(db: StateDb): Map<string, string> {
  ensureTable(db);
  const rows = db
    .prepare(
      'SELECT id, seq, created_at, length(html) AS h, length(text) AS t, length(web_html) AS w FROM editions',
    )
    .all() as { id: string; seq: number; created_at: string; h: number; t: number; w: number }[];
  return new Map(rows.map((r) => [r.id, `${r.seq}:${r.created_at}:${r.h}:${r.t}:${r.w}`]));
}
