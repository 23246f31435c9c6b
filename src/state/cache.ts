import { createHash } from 'node:crypto';
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EncodedParse, IngestOptions, IngestResult, SourceFile } from '../ingest/index.ts';
import { decodeLean, decodeText, encodeParse, type StoryText, shellOf } from '../ingest/index.ts';
import type { RelatedMemo } from '../normalize/index.ts';
import { fullDiskNamed, openState, type StateDb } from './db.ts';

/**
 * Bump whenever src/ingest could parse the same bytes differently (a fixed bug, a new field):
 * every cached parse is then ignored and redone. Keys carry it, so old rows never match.
 */
export const PARSER_VERSION = 7;

/**
 * One file's cached parse. The row holds everything but the stories' paragraphs (body and
 * analysis), which are stored per article: a large archive keeps them out of memory and loads
 * one story's text when a stage needs it (`text`), a small one loads a file's at once
 * (`withText`).
 */
export interface CachedParse {
  /** The parse with every article's body and analysis empty. */
  lean: IngestResult;
  key: string;
  /** Characters of body and analysis over the file's articles: the memory their text takes. */
  textChars: number;
  /**
   * What later stages worked out of these articles and asked to keep with the parse (`store`,
   * `keepDerived`): opaque here, checked by whoever reads it. Null when nothing was kept.
   */
  derived: string | null;
}

/**
 * The parse cache: what `parseSourceFile` made of one file, keyed by everything the result
 * depends on (parser version, ingest options, the path diagnostics name, the bytes). A
 * rebuild after one edit parses one file instead of thousands. A miss just parses: the cache
 * can be deleted at any time.
 */
export interface ParseCache {
  /** The cached parse of these bytes at this path, or undefined (parse it, then `store`). */
  lookup(file: SourceFile): CachedParse | undefined;
  /** The key a parse of these bytes at this path is kept under (`lookupKey`, `storeEncoded`). */
  keyOf(file: SourceFile): string;
  /** `lookup` by a key from `keyOf`. */
  lookupKey(key: string): CachedParse | undefined;
  /**
   * The cached parse of the file at `path` if it is unchanged since it was stored, judged by
   * its stat `stamp` (size, times, inode) without reading it; undefined otherwise.
   */
  lookupUnchanged(path: string, stamp: string): CachedParse | undefined;
  /**
   * Keeps a parse for later builds and returns its key (for `text`); one that ended in
   * `ingest/internal` is not kept (undefined). With a `stamp`, a later build may find it by
   * `lookupUnchanged` without reading the file. `key`: `keyOf(file)`, when the caller has it
   * already (it looked the file up by it: hashing its bytes again cost ~6 µs a file).
   */
  store(
    file: SourceFile,
    result: IngestResult,
    stamp?: string,
    derived?: string,
    key?: string,
  ): string | undefined;
  /**
   * `store` of a parse made elsewhere (a read helper thread) and encoded there, under the key
   * `keyOf` gave for its file at `path`. The caller leaves out one that ended in `ingest/internal`.
   */
  storeEncoded(path: string, key: string, encoded: EncodedParse, stamp?: string, derived?: string): void;
  /** Keeps `derived` with the parse stored under `key` (it had none, or an outdated one). */
  keepDerived(key: string, derived: string): void;
  /**
   * The text of article `index` of the parse stored under `key` (stored or still pending).
   * Throws, naming `file`, when the cache no longer holds it.
   */
  text(key: string, index: number, file: string): StoryText;
  /** The parse with its articles' text in memory (one query for the file). */
  withText(parse: CachedParse): IngestResult;
  /**
   * The parse just stored under `key`, read back without its text. Its strings are its own:
   * a parser's come sliced from the file's whole text and would keep all of it in memory.
   */
  stored(key: string): CachedParse | undefined;
  /**
   * Records a new stamp for a file `lookup` found by its bytes (touched, copied back, checked
   * out); `key` as for `store`.
   */
  restamp(file: SourceFile, stamp: string, key?: string): void;
  /**
   * Writes what `store` collected (one transaction per FLUSH_EVERY files; `store` flushes on
   * its own at that size) and drops older parses of the same paths.
   */
  flush(): void;
  /**
   * Drops the parses of every path not in `paths` (files deleted or renamed since): a build
   * passes every file it read, so the cache holds one row per article file, no more.
   */
  prune(paths: Iterable<string>): number;
  readonly hits: number;
  readonly misses: number;
  /** Of the hits, those found by stamp: files not even read. */
  readonly unread: number;
}

/**
 * Stored parses are written in transactions of this many files. Small: rows waiting longer live
 * through two young-generation collections and are promoted, and a cold 100k build's old
 * generation then grew to a peak RSS of 1,395 MiB during the read, against 1,148 MiB at 100
 * (commits cost no fsync here: the cache runs at synchronous=NORMAL in WAL mode).
 */
const FLUSH_EVERY = 100;

export function ensureParseCacheTable(db: StateDb): void {
  db.exec(`CREATE TABLE IF NOT EXISTS parse_cache (
    key TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    result TEXT NOT NULL
  )`);
  db.exec('CREATE INDEX IF NOT EXISTS parse_cache_path ON parse_cache (path)');
  // Added 2026-11-25 (parser version 3): each article's paragraphs, apart from the row, so a
  // build can load one story's text at a time. They go with their row (the trigger).
  dropClusteredTextTable(db);
  // A rowid table, not WITHOUT ROWID: a story's text (~3 KB) then fits in one 4 KB leaf page,
  // where a WITHOUT ROWID row spills past ~1 KB into overflow pages. A 100k archive loads
  // paged text ~750k times a build: 58 µs a load clustered, 19 µs so (random order, measured).
  db.exec(`CREATE TABLE IF NOT EXISTS parse_text (
    key TEXT NOT NULL,
    article INTEGER NOT NULL,
    text TEXT NOT NULL
  );
  CREATE UNIQUE INDEX IF NOT EXISTS parse_text_article ON parse_text (key, article);
  CREATE TRIGGER IF NOT EXISTS parse_cache_text_dropped AFTER DELETE ON parse_cache
    BEGIN DELETE FROM parse_text WHERE key = old.key; END;`);
  // Added 2026-11-25: the file's stat when it was stored, and the settings it was parsed under,
  // so an unchanged file is found without reading and hashing it. Older rows have neither.
  const columns = db.prepare("SELECT name FROM pragma_table_info('parse_cache')").pluck().all();
  if (!columns.includes('stamp')) db.exec('ALTER TABLE parse_cache ADD COLUMN stamp TEXT');
  if (!columns.includes('settings')) db.exec('ALTER TABLE parse_cache ADD COLUMN settings TEXT');
  // Added 2026-12-05: what dedupe and normalize work out of the stories alone (index keys,
  // content hashes), so a rebuild need not load an unchanged story's text to work it out again.
  if (!columns.includes('derived')) db.exec('ALTER TABLE parse_cache ADD COLUMN derived TEXT');
}

/**
 * A cache written before 2026-12-05 keeps its text clustered (WITHOUT ROWID): dropped with the
 * parses that need it (the cache is disposable; the next build parses every file once).
 */
function dropClusteredTextTable(db: StateDb): void {
  const sql = db
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'parse_text'")
    .pluck()
    .get();
  if (typeof sql !== 'string' || !/WITHOUT\s+ROWID/i.test(sql)) return;
  db.transaction(() => {
    // The trigger first: it would delete each parse's texts one by one, then miss the table.
    db.exec('DROP TRIGGER IF EXISTS parse_cache_text_dropped');
    db.exec('DROP TABLE parse_text');
    db.exec('DELETE FROM parse_cache');
  })();
}

export function openParseCache(
  db: StateDb,
  options: IngestOptions,
  parserVersion: number = PARSER_VERSION,
): ParseCache {
  ensureParseCacheTable(db);
  const select = db.prepare('SELECT result, derived FROM parse_cache WHERE key = ?');
  const selectText = db.prepare('SELECT text FROM parse_text WHERE key = ? AND article = ?').pluck();
  const selectTexts = db.prepare('SELECT article, text FROM parse_text WHERE key = ?');
  const selectUnchanged = db.prepare(
    'SELECT key, result, derived FROM parse_cache WHERE path = ? AND stamp = ? AND settings = ?',
  );
  const settings = JSON.stringify({
    parserVersion,
    maxFileBytes: options.maxFileBytes,
    timeZone: options.timeZone,
  });
  const keyOf = (file: SourceFile): string =>
    createHash('sha1')
      .update(settings)
      .update('\0')
      .update(file.path)
      .update('\0')
      .update(file.bytes)
      .digest('base64url');
  const pending = new Map<
    string,
    { path: string; result: string; stamp: string | null; texts: string[]; derived: string | null }
  >();
  const restamps: [stamp: string, key: string][] = [];
  const derivations: [derived: string, key: string][] = [];
  let hits = 0;
  let misses = 0;
  let unread = 0;

  const flush = (): void => {
    if (pending.size === 0 && restamps.length === 0 && derivations.length === 0) return;
    // A key hit means the row was parsed under these settings (the key hashes them).
    const setStamp = db.prepare('UPDATE parse_cache SET stamp = ?, settings = ? WHERE key = ?');
    const dropOlder = db.prepare('DELETE FROM parse_cache WHERE path = ? AND key <> ?');
    const insert = db.prepare(
      'INSERT OR REPLACE INTO parse_cache (key, path, result, stamp, settings, derived) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const setDerived = db.prepare('UPDATE parse_cache SET derived = ? WHERE key = ?');
    const insertText = db.prepare('INSERT OR REPLACE INTO parse_text (key, article, text) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const [key, { path, result, stamp, texts, derived }] of pending) {
        // One row per path: an edited file's previous parse can never be asked for again
        // (unless the edit is undone, which costs one parse).
        dropOlder.run(path, key);
        insert.run(key, path, result, stamp, settings, derived);
        texts.forEach((text, article) => {
          insertText.run(key, article, text);
        });
      }
      for (const [stamp, key] of restamps) setStamp.run(stamp, settings, key);
      for (const [derived, key] of derivations) setDerived.run(derived, key);
    })();
    pending.clear();
    restamps.length = 0;
    derivations.length = 0;
  };

  const decode = (
    row: string | undefined,
    key: string,
    derived: string | null = null,
  ): CachedParse | undefined => {
    if (row === undefined) return undefined;
    // A damaged row is a miss: the file is parsed again and the row replaced.
    const decoded = decodeLean(row);
    return decoded ? { ...decoded, key, derived } : undefined;
  };

  const lookupKey = (key: string): CachedParse | undefined => {
    const row = select.get(key) as { result: string; derived: string | null } | undefined;
    const result = row && decode(row.result, key, row.derived);
    if (result) hits++;
    else misses++;
    return result;
  };

  const storeEncoded = (
    path: string,
    key: string,
    encoded: EncodedParse,
    stamp?: string,
    derived?: string,
  ): void => {
    pending.set(key, { path, stamp: stamp ?? null, derived: derived ?? null, ...encoded });
    // A first build of a large archive would otherwise hold every file's JSON until the end.
    if (pending.size >= FLUSH_EVERY) flush();
  };

  return {
    lookup(file) {
      return lookupKey(keyOf(file));
    },
    keyOf,
    lookupKey,
    lookupUnchanged(path, stamp) {
      const row = selectUnchanged.get(path, stamp, settings) as
        | { key: string; result: string; derived: string | null }
        | undefined;
      const result = row && decode(row.result, row.key, row.derived);
      // Not counted as a miss: the caller reads the file and asks `lookup` next.
      if (result) {
        hits++;
        unread++;
      }
      return result;
    },
    store(file, result, stamp, derived, key = keyOf(file)) {
      // An internal error is a parser bug, not a fact about the bytes: kept, it would outlive
      // the fix (until someone remembered to bump PARSER_VERSION).
      if (result.diagnostics.some((d) => d.code === 'ingest/internal')) return undefined;
      storeEncoded(file.path, key, encodeParse(result), stamp, derived);
      return key;
    },
    storeEncoded,
    text(key, index, file) {
      const row = pending.get(key)?.texts[index] ?? (selectText.get(key, index) as string | undefined);
      if (row === undefined) {
        throw new Error(
          `${file}: the parse cache no longer holds this article's text (another build pruned it?); build again`,
        );
      }
      return decodeText(row);
    },
    stored(key) {
      const waiting = pending.get(key);
      if (waiting) return decode(waiting.result, key, waiting.derived);
      const row = select.get(key) as { result: string; derived: string | null } | undefined;
      return row && decode(row.result, key, row.derived);
    },
    keepDerived(key, derived) {
      const waiting = pending.get(key);
      if (waiting) waiting.derived = derived;
      else derivations.push([derived, key]);
      if (derivations.length >= FLUSH_EVERY) flush();
    },
    withText(parse) {
      const texts =
        pending.get(parse.key)?.texts.map((text, article) => ({ article, text })) ??
        (selectTexts.all(parse.key) as { article: number; text: string }[]);
      const articles = parse.lean.articles.map((article) => shellOf(article));
      for (const { article, text } of texts) {
        const target = articles[article];
        if (target) Object.assign(target, decodeText(text));
      }
      return { articles, diagnostics: parse.lean.diagnostics };
    },
    restamp(file, stamp, key = keyOf(file)) {
      restamps.push([stamp, key]);
      if (restamps.length >= FLUSH_EVERY) flush();
    },
    flush,
    prune(paths) {
      flush();
      const removed = pruneParseCache(db, paths);
      // Whether or not this prune removed rows: a cache left large by an earlier one shrinks too.
      compactIfMostlyFree(db);
      return removed;
    },
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
    get unread() {
      return unread;
    },
  };
}

function pruneParseCache(db: StateDb, paths: Iterable<string>): number {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS parse_cache_keep (path TEXT PRIMARY KEY)');
  const keep = db.prepare('INSERT OR IGNORE INTO parse_cache_keep (path) VALUES (?)');
  return db.transaction(() => {
    db.exec('DELETE FROM parse_cache_keep');
    for (const path of paths) keep.run(path);
    const removed = db
      .prepare('DELETE FROM parse_cache WHERE path NOT IN (SELECT path FROM parse_cache_keep)')
      .run().changes;
    db.exec('DELETE FROM parse_cache_keep');
    return removed;
  })();
}

/** Free space worth giving back: at least this much, and more than the rows themselves take. */
export const COMPACT_MIN_FREE_BYTES = 32 * 1024 * 1024;

/**
 * Rewrites the file (VACUUM) when most of it is free pages; whether it did. SQLite keeps a
 * deleted row's pages for later rows, so a cache that once held a large archive (a folder moved
 * out, a symlink that reached too far) kept its size for good: 4.2 GB for one article, here.
 * VACUUM costs about the live rows' size in time and temporary disk, so only then; it fails
 * harmlessly (a full disk, another process reading) and the cache stays as it was.
 */
export function compactIfMostlyFree(db: StateDb, minFreeBytes = COMPACT_MIN_FREE_BYTES): boolean {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  if (free * pageSize < minFreeBytes || free * 2 < pages) return false;
  // VACUUM writes the live rows twice (a temporary copy, then the WAL): on a disk without that
  // room it would fail, or take the space the rest of the build needs. Then the file waits.
  const live = (pages - free) * pageSize;
  if (diskRoomBeside(db.name) < 2 * live + minFreeBytes) return false;
  try {
    db.exec('VACUUM');
    return true;
  } catch {
    return false;
  } finally {
    // The WAL holds the new file's pages (or a failed attempt's): give that space back too.
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Busy: the next checkpoint does it.
    }
  }
}

/** Bytes free on the disk that holds `file` (0 when the system cannot tell). */
function diskRoomBeside(file: string): number {
  try {
    const stats = statfsSync(dirname(file));
    return stats.bavail * stats.bsize;
  } catch {
    return 0;
  }
}

/**
 * Opens the parse cache's own SQLite file (`paths.cache`). It is kept apart from the state
 * file: the state (ids, first-seen dates, editions, the delivery ledger) is small and precious,
 * the cache is large (about the size of the articles) and disposable, and `serve`, which
 * previews on a copy of the state, would otherwise copy the whole cache on every rebuild.
 */
export function openCacheFile(path: string): StateDb {
  // A story's text is ~3 KB of JSON and often more: on 4 KB pages one in three spilled into an
  // overflow page and most pages were half empty. 16 KB pages: a 10k-story cache of 52 MB, not 62.
  const db = openState(path, { pageSize: 16384 });
  // A cache needs no fsync per commit: after a power cut it may lose its last rows (those files
  // are parsed again), never its consistency (WAL). Under the state's FULL, a cold 10k-file build
  // fsynced ~100 MB of cache mid-build, and every file written to out/ after it waited on the
  // journal: render+write took 12.8 s instead of 3.7 s (10 s of it system time).
  db.pragma('synchronous = NORMAL');
  try {
    ensureParseCacheTable(db);
  } catch (error) {
    db.close();
    throw fullDiskNamed(error, [path]);
  }
  return db;
}

/**
 * Older builds kept the parse cache inside the state file. Dropping it (and compacting the
 * file once) takes the state of a 10k-article site from ~100 MB to a few MB; the cache file
 * fills again on that build.
 */
export function dropLegacyParseCache(state: StateDb): boolean {
  const found = state
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'parse_cache'")
    .get();
  if (!found) return false;
  state.exec('DROP TABLE parse_cache');
  state.exec('VACUUM');
  return true;
}

/** A media file's content hash and size, as the build names and describes it. */
export interface MediaDigest {
  /** sha256, hex. */
  hash: string;
  size: number;
  /** A picture's width and height in pixels, once measured; absent for other files. */
  dimensions?: { width: number; height: number };
}

/**
 * Media files' digests by path and stamp, in the cache file: hashing every picture and episode
 * each build cost ~1.9 s a build for 40 episodes of 64 MB (2.6 GB read), however small the edit.
 * Pruned to the files a build named, so the table stays the size of the media.
 */
export interface MediaDigests {
  get(path: string, stamp: string): MediaDigest | undefined;
  set(path: string, stamp: string, digest: MediaDigest): void;
  /** Stores what was set and drops the rows of every path not asked for since opening. */
  finish(): void;
}

export function openMediaDigests(db: StateDb): MediaDigests {
  createMediaDigestTable(db);
  const known = new Map<string, { stamp: string } & MediaDigest>();
  for (const row of db.prepare('SELECT path, stamp, hash, size, width, height FROM media_digest').all() as {
    path: string;
    stamp: string;
    hash: string;
    size: number;
    width: number | null;
    height: number | null;
  }[]) {
    const digest = keptDigest(row);
    if (digest) known.set(row.path, { stamp: row.stamp, ...digest });
  }
  const asked = new Set<string>();
  const fresh = new Map<string, { stamp: string } & MediaDigest>();
  return {
    get(path, stamp) {
      asked.add(path);
      const row = known.get(path);
      if (!row || row.stamp !== stamp) return undefined;
      const { stamp: _, ...digest } = row;
      return digest;
    },
    set(path, stamp, digest) {
      asked.add(path);
      fresh.set(path, { stamp, ...digest });
    },
    finish() {
      const gone = [...known.keys()].filter((path) => !asked.has(path));
      if (gone.length === 0 && fresh.size === 0) return;
      const remove = db.prepare('DELETE FROM media_digest WHERE path = ?');
      const insert = db.prepare(
        'INSERT OR REPLACE INTO media_digest (path, stamp, hash, size, width, height) VALUES (?, ?, ?, ?, ?, ?)',
      );
      db.transaction(() => {
        for (const path of gone) remove.run(path);
        for (const [path, row] of fresh)
          insert.run(
            path,
            row.stamp,
            row.hash,
            row.size,
            row.dimensions?.width ?? null,
            row.dimensions?.height ?? null,
          );
      })();
      for (const path of gone) known.delete(path);
      for (const [path, row] of fresh) known.set(path, row);
      fresh.clear();
    },
  };
}

/**
 * The table, with the picture's width and height beside the hash (measuring read each picture's
 * first 512 KB every build: ~3 GB a build for 10k pictures). A table from before those columns
 * is dropped and made again: it is a cache, and costs one more hashing of the media.
 */
function createMediaDigestTable(db: StateDb): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('media_digest')").pluck().all() as string[];
  if (columns.length > 0 && !columns.includes('width')) db.exec('DROP TABLE media_digest');
  db.exec(`CREATE TABLE IF NOT EXISTS media_digest (
    path TEXT PRIMARY KEY,
    stamp TEXT NOT NULL,
    hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER
  )`);
}

/** A row as a digest, or undefined where it is damaged (then the file is hashed again). */
function keptDigest(row: {
  hash: string;
  size: number;
  width: number | null;
  height: number | null;
}): MediaDigest | undefined {
  if (!/^[0-9a-f]{64}$/.test(row.hash) || !Number.isSafeInteger(row.size)) return undefined;
  if (row.width === null && row.height === null) return { hash: row.hash, size: row.size };
  const pixels = (n: number | null) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!pixels(row.width) || !pixels(row.height)) return undefined;
  return {
    hash: row.hash,
    size: row.size,
    dimensions: { width: row.width as number, height: row.height as number },
  };
}

/**
 * The related-link memo (normalize's `RelatedMemo`), one JSON row in the cache file: a cache
 * like the parses, so a damaged or missing row only means resolving again.
 */
export function loadRelatedMemo(db: StateDb): RelatedMemo | undefined {
  ensureMemoTable(db);
  const row = db.prepare("SELECT value FROM memo WHERE name = 'related'").pluck().get() as string | undefined;
  if (row === undefined) return undefined;
  try {
    const memo = JSON.parse(row) as RelatedMemo;
    return typeof memo?.targets === 'string' && memo.links && typeof memo.links === 'object'
      ? memo
      : undefined;
  } catch {
    return undefined;
  }
}

/** Stores `memo` unless it holds exactly what `previous` held (the same targets and lookups). */
export function saveRelatedMemo(db: StateDb, memo: RelatedMemo, previous: RelatedMemo | undefined): boolean {
  if (previous && (previous === memo || sameMemo(previous, memo))) return false;
  ensureMemoTable(db);
  db.prepare("INSERT OR REPLACE INTO memo (name, value) VALUES ('related', ?)").run(JSON.stringify(memo));
  return true;
}

/** Same targets and same lookups: the links are then equal too (a pure function of both). */
function sameMemo(a: RelatedMemo, b: RelatedMemo): boolean {
  if (a.targets !== b.targets) return false;
  const keys = Object.keys(b.links);
  return keys.length === Object.keys(a.links).length && keys.every((key) => Object.hasOwn(a.links, key));
}

function ensureMemoTable(db: StateDb): void {
  db.exec('CREATE TABLE IF NOT EXISTS memo (name TEXT PRIMARY KEY, value TEXT NOT NULL)');
}
