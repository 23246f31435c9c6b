import { statSync } from 'node:fs';
import {
  decodeParse,
  type IngestOptions,
  type IngestResult,
  pageText,
  parseSourceFile,
  type SourceFile,
  type StoryText,
  textChars,
  tooLargeDiagnostic,
} from '../ingest/index.ts';
import type { CachedParse, ParseCache } from '../state/index.ts';
import type { Article, Diagnostic } from '../types.ts';
import type { PipelineHost, Progress } from './host.ts';
import { displayPath, listArticleFiles, readSourceFile } from './inputs.ts';
import { type ParseJob, type ParseReply, type ReadPool, startReadPool } from './read-pool.ts';
import { SETTLE_MS, statStamp } from './settle.ts';
import { helpersFor } from './threads.ts';

export interface ReadResult {
  files: number;
  articles: Article[];
  diagnostics: Diagnostic[];
}

export interface ReadSettings {
  /** A progress bar over the files (the host's); none by default. */
  progress?: PipelineHost['progress'];
  /**
   * Earlier parses by content (state/cache.ts): an unchanged file is not parsed again. New
   * parses are stored (flushed) before readArticles returns.
   */
  cache?: ParseCache;
  /**
   * The folder source paths are written relative to (default: the working directory). `build`
   * passes the config's folder, so sources, and the story identities matched on them, don't
   * depend on where the command was started.
   */
  root?: string;
  /**
   * After reading, drop cached parses of files that were not read (deleted or renamed). Only
   * for a read of the whole article set, as `build` does.
   */
  pruneCache?: boolean;
  /**
   * The last read in this process (`serve`, the bench's warm rebuild): a file whose size,
   * times and inode are unchanged is not read at all, and gives the very same Article objects
   * as last time, so the later stages' memos recognise them.
   */
  memo?: ReadMemo;
  /**
   * Files whose mtime and ctime are both before this time (ms) may be judged unchanged by their
   * stat; younger ones are read. Default: two seconds before the read starts, so that an edit in
   * the same second as a read, on a file system with coarse timestamps, is never missed.
   */
  trustStampsBefore?: number;
  /**
   * Characters of story text (body and analysis) this read keeps in memory; the text of further
   * files is paged (see paged-text.ts) and loaded from `cache` when a stage reads it. Default:
   * no limit. Without a cache everything stays in memory.
   */
  textBudget?: number;
  /**
   * What later stages work out of each file's stories alone, kept beside its parse in `cache`:
   * worked out when the file is parsed (its text in memory), handed back when it is not.
   */
  derive?: Derivation;
}

/** Values worked out of one file's articles, kept in the parse cache as one string. */
export interface Derivation {
  /** Works them out for these articles (as read), takes them, and gives them to keep. */
  derive(articles: Article[]): string;
  /** Takes kept values for these articles; false when they do not fit (derive them again). */
  adopt(articles: Article[], kept: string): boolean;
  /** Gives `to[i]` what `from[i]` was given (copies of the same stories: paged text). */
  carry(from: Article[], to: Article[]): void;
}

/**
 * Keeps story text in memory up to a budget and pages the rest: a large archive's paragraphs
 * (~300 MB at 100,000 stories) stay in the parse cache, and a stage loads one story's at a
 * time. Loaders read through the cache of the build at hand, since `serve` opens the cache
 * anew for every build while keeping the articles of the last one.
 */
export class TextPager {
  #cache: ParseCache | undefined;
  #budget = Number.POSITIVE_INFINITY;
  #kept = 0;

  begin(cache: ParseCache | undefined, budget: number | undefined): void {
    this.#cache = cache;
    this.#budget = cache ? (budget ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    this.#kept = 0;
  }

  /** A cached parse with its text in memory, or paged when the budget is spent. */
  fromCache(parse: CachedParse, file: string): IngestResult {
    const cache = this.#cache as ParseCache;
    return this.#keep(parse.textChars) ? cache.withText(parse) : this.#page(parse.lean, parse.key, file);
  }

  /** A parse just made (and stored under `key`), paged when the budget is spent. */
  fresh(result: IngestResult, key: string, file: string): IngestResult {
    if (this.#keep(textChars(result.articles))) return result;
    // Read back from the cache: the parser's strings are slices of the whole file, which
    // would stay in memory as long as any title did.
    const stored = (this.#cache as ParseCache).stored(key);
    return stored ? this.#page(stored.lean, key, file) : result;
  }

  #keep(chars: number): boolean {
    if (this.#kept + chars > this.#budget) return false;
    this.#kept += chars;
    return true;
  }

  #page(result: IngestResult, key: string, file: string): IngestResult {
    return {
      articles: result.articles.map((article, index) =>
        pageText(article, () => this.#text(key, index, file)),
      ),
      diagnostics: result.diagnostics,
    };
  }

  #text(key: string, index: number, file: string): StoryText {
    if (!this.#cache)
      throw new Error(`${file}: this story's text is kept in the parse cache, which is not open`);
    return this.#cache.text(key, index, file);
  }
}

/**
 * What a warm rebuild keeps of the previous read: per file, the stat it was read at and what it
 * parsed to. A file is trusted unchanged when size, mtime, ctime and inode all match (as `git`
 * and `make` judge); an editor that rewrites a file changes at least the times.
 */
export class ReadMemo {
  #settings = '';
  #files = new Map<string, { stamp: string; result: IngestResult }>();
  #pruned: string[] | null = null;
  /** Pages the text of this process's articles, across builds. */
  readonly pager = new TextPager();

  /** Starts a read: a memo made under other ingest settings (or another root) is dropped. */
  begin(settings: string): void {
    if (settings === this.#settings) return;
    this.#settings = settings;
    this.#files.clear();
    this.#pruned = null;
  }

  get(path: string, stamp: string): IngestResult | undefined {
    const entry = this.#files.get(path);
    return entry?.stamp === stamp ? entry.result : undefined;
  }

  set(path: string, stamp: string, result: IngestResult): void {
    this.#files.set(path, { stamp, result });
  }

  /** Keeps only the files this read saw: a deleted file's articles are let go. */
  retain(paths: string[]): void {
    const keep = new Set(paths);
    for (const path of this.#files.keys()) if (!keep.has(path)) this.#files.delete(path);
  }

  /** Whether the parse cache was last pruned for exactly these paths (nothing to prune again). */
  prunedFor(paths: string[]): boolean {
    const last = this.#pruned;
    return last !== null && last.length === paths.length && last.every((path, i) => path === paths[i]);
  }

  markPruned(paths: string[]): void {
    this.#pruned = paths;
  }
}

/** Reads and parses every article file under `paths`; one bad file never stops the rest. */
export function readArticles(
  paths: string[],
  options: IngestOptions,
  settings: ReadSettings = {},
): ReadResult {
  const read = beginRead(paths, options, settings);
  const results: IngestResult[] = [];
  try {
    for (const path of read.files) {
      read.progress.tick();
      const found = lookOne(path, read.settings);
      results.push('result' in found ? found.result : parseHere(found.parse, read.settings));
    }
  } finally {
    read.progress.stop();
  }
  return finishRead(read, results);
}

export interface SharedReadSettings extends ReadSettings {
  /** `build.threads`: threads in all, this one included; 0: one per idle core (threads.ts). */
  threads: number;
  /**
   * Files this read parses in its own thread before it starts helpers: a helper takes ~0.1-0.3 s
   * to load the parser, the time of ~1,000 parses, so an edit or a small archive never waits
   * for one. Default MIN_SHARED.
   */
  minShared?: number;
}

/** Files a read parses itself before helper threads start (see `SharedReadSettings.minShared`). */
export const MIN_SHARED = 500;
/** Files a helper is sent at a time: the build's thread parses one such batch while it waits. */
const BATCH = 32;

/**
 * `readArticles` with helper threads for the parsing (read-pool.ts), when there are more than
 * `minShared` files to parse and cores to spare. The result is the same as `readArticles`'s:
 * the same articles in the same order, the same diagnostics, the same rows kept in the cache.
 */
export async function readArticlesShared(
  paths: string[],
  options: IngestOptions,
  settings: SharedReadSettings,
): Promise<ReadResult & { parsedByHelpers: number }> {
  const helpers = settings.cache ? helpersFor(settings.threads, undefined) : 0;
  const minShared = settings.minShared ?? MIN_SHARED;
  const read = beginRead(paths, options, settings);
  const results: IngestResult[] = new Array(read.files.length);
  const sent = new Map<number, ToParse>();
  let parsedByHelpers = 0;
  const parseSentHere = (jobs: ParseJob[]) => {
    for (const { index } of jobs) results[index] = parseHere(takeSent(sent, index), read.settings);
  };
  const adopt = (replies: ParseReply[]) => {
    for (const reply of replies)
      results[reply.index] = adoptParsed(takeSent(sent, reply.index), reply, read.settings);
    parsedByHelpers += replies.length;
  };
  // Replies are taken in by event handlers, where a throw (a full disk under the cache) would
  // end the process: the first is kept, and thrown here once this thread is back.
  let failure: { error: unknown } | null = null;
  const kept =
    <T>(work: (value: T) => void) =>
    (value: T) => {
      try {
        work(value);
      } catch (error) {
        failure ??= { error };
      }
    };
  const throwKept = () => {
    if (failure) throw failure.error;
  };
  let pool: ReadPool | null = null;
  let toParse = 0;
  let batch: ParseJob[] = [];
  const send = () => {
    pool ??= startReadPool(
      helpers,
      { options, derive: settings.derive !== undefined },
      kept(adopt),
      kept(parseSentHere),
    );
    if (!pool.offer(batch)) parseSentHere(batch);
    batch = [];
  };
  try {
    for (let index = 0; index < read.files.length; index++) {
      read.progress.tick();
      const found = lookOne(read.files[index] as string, read.settings);
      if ('result' in found) {
        results[index] = found.result;
        continue;
      }
      if (helpers < 1 || ++toParse <= minShared) {
        results[index] = parseHere(found.parse, read.settings);
        continue;
      }
      sent.set(index, found.parse);
      batch.push({ index, path: found.parse.source.path, bytes: found.parse.source.bytes });
      if (batch.length === BATCH) {
        send();
        // Replies are taken in while this thread yields.
        await new Promise(setImmediate);
        throwKept();
      }
    }
    if (batch.length > 0) send();
    await (pool as ReadPool | null)?.finish();
    throwKept();
  } finally {
    read.progress.stop();
    await (pool as ReadPool | null)?.stop();
  }
  return { ...finishRead(read, results), parsedByHelpers };
}

function takeSent(sent: Map<number, ToParse>, index: number): ToParse {
  const job = sent.get(index);
  if (!job) throw new Error(`read: a parse came back for file ${index}, which was not sent`);
  sent.delete(index);
  return job;
}

/** What a read works with, from its start to its end. */
interface Read {
  files: string[];
  diagnostics: Diagnostic[];
  settings: ReadSettings & { options: IngestOptions; pager: TextPager };
  progress: Progress;
}

function beginRead(paths: string[], options: IngestOptions, settings: ReadSettings): Read {
  const { files, skipped, missing } = listArticleFiles(paths);
  const diagnostics: Diagnostic[] = [
    ...missing.map(
      ({ path, reason }): Diagnostic => ({
        severity: 'error',
        code: 'ingest/missing-path',
        file: displayPath(path, settings.root),
        message: `cannot read: ${reason}`,
      }),
    ),
    ...skipped.map(
      (file): Diagnostic => ({
        severity: 'warning',
        code: 'ingest/unknown-extension',
        file: displayPath(file, settings.root),
        message: 'not an article file (expected .txt, .md or .markdown); skipped',
      }),
    ),
  ];
  const { memo } = settings;
  memo?.begin(JSON.stringify([options.maxFileBytes, options.timeZone, settings.root ?? process.cwd()]));
  const pager = memo?.pager ?? new TextPager();
  pager.begin(settings.cache, settings.textBudget);
  return {
    files,
    diagnostics,
    settings: {
      ...settings,
      trustStampsBefore: settings.trustStampsBefore ?? Date.now() - SETTLE_MS,
      options,
      pager,
    },
    progress: settings.progress?.('reading', files.length) ?? SILENT,
  };
}

/** The articles and diagnostics in file order; the cache flushed (and pruned), the memo kept. */
function finishRead(read: Read, results: IngestResult[]): ReadResult {
  const { files, settings } = read;
  const articles: Article[] = [];
  const diagnostics = read.diagnostics;
  for (const result of results) {
    // A loop, not push(...list): one dump file can hold more articles than a call takes arguments.
    for (const article of result.articles) articles.push(article);
    for (const diagnostic of result.diagnostics) diagnostics.push(diagnostic);
  }
  settings.cache?.flush();
  settings.memo?.retain(files);
  if (settings.pruneCache && settings.cache && !settings.memo?.prunedFor(files)) {
    settings.cache.prune(files.map((path) => displayPath(path, settings.root)));
    settings.memo?.markPruned(files);
  }
  return { files: files.length, articles, diagnostics };
}

/** A file read (its bytes) and not found in the cache: to be parsed. */
interface ToParse {
  path: string;
  source: SourceFile;
  stamp: string | null;
  /** Its parse cache key (none without a cache). */
  key: string | undefined;
}

/** A file's result when it needs no parse (unchanged, too large, unreadable), else what to parse. */
function lookOne(path: string, settings: Read['settings']): { result: IngestResult } | { parse: ToParse } {
  // The path diagnostics show, worked out only when one is made (a warm rebuild reads none).
  const file = () => displayPath(path, settings.root);
  try {
    const { options, pager, cache, memo } = settings;
    const stats = statSync(path);
    if (stats.size > options.maxFileBytes) {
      return {
        result: { articles: [], diagnostics: [tooLargeDiagnostic(file(), stats.size, options.maxFileBytes)] },
      };
    }
    // A stamp is trusted only once the file has been still for a while: on a file system with
    // coarse timestamps, an edit in the same second as the read could keep size and times.
    const settled = Math.max(stats.mtimeMs, stats.ctimeMs) < (settings.trustStampsBefore ?? 0);
    const stamp = settled ? statStamp(stats) : null;
    if (stamp !== null) {
      const remembered = memo?.get(path, stamp);
      if (remembered) return { result: remembered };
      const cached = cache?.lookupUnchanged(file(), stamp);
      if (cached) {
        const result = withDerived(pager.fromCache(cached, file()), cached, settings);
        memo?.set(path, stamp, result);
        return { result };
      }
    }
    const source = readSourceFile(path, settings.root);
    const key = cache?.keyOf(source);
    const cached = key === undefined ? undefined : cache?.lookupKey(key);
    if (cached) {
      const result = withDerived(pager.fromCache(cached, source.path), cached, settings);
      if (stamp !== null) {
        cache?.restamp(source, stamp, key);
        memo?.set(path, stamp, result);
      }
      return { result };
    }
    return { parse: { path, source, stamp, key } };
  } catch (error) {
    if (isStorageFailure(error)) throw error;
    return { result: unreadable(file(), (error as Error).message) };
  }
}

/** Parses a file in this thread and keeps the parse (the cache, the memo). */
function parseHere(job: ToParse, settings: Read['settings']): IngestResult {
  const { source, stamp } = job;
  try {
    const parsed = parseSourceFile(source, settings.options);
    const derived = settings.derive?.derive(parsed.articles);
    const key = settings.cache?.store(source, parsed, stamp ?? undefined, derived, job.key);
    const result = key === undefined ? parsed : settings.pager.fresh(parsed, key, source.path);
    // Paged copies are new objects: the values go with them.
    if (derived !== undefined && result !== parsed) settings.derive?.carry(parsed.articles, result.articles);
    if (stamp !== null) settings.memo?.set(job.path, stamp, result);
    return result;
  } catch (error) {
    if (isStorageFailure(error)) throw error;
    return unreadable(source.path, (error as Error).message);
  }
}

/**
 * A helper's parse of a file, kept as `parseHere` keeps one: stored in the cache as it came,
 * then read back as a cached parse is (its text in memory, or paged past the budget).
 */
function adoptParsed(job: ToParse, reply: ParseReply, settings: Read['settings']): IngestResult {
  if ('error' in reply) return unreadable(job.source.path, reply.error);
  const { cache, derive, pager } = settings;
  const { key, stamp, source } = job;
  let result: IngestResult;
  if (cache && key !== undefined && !reply.internal) {
    cache.storeEncoded(source.path, key, reply.encoded, stamp ?? undefined, reply.derived ?? undefined);
    const stored = cache.stored(key);
    if (!stored) return unreadable(source.path, 'its parse could not be read back');
    result = withDerived(pager.fromCache(stored, source.path), stored, settings);
  } else {
    // Not kept (a parser bug's result, or no cache): the values are taken, or worked out again.
    result = decodeParse(reply.encoded);
    if (derive && (reply.derived === null || !derive.adopt(result.articles, reply.derived)))
      derive.derive(result.articles);
  }
  if (stamp !== null) settings.memo?.set(job.path, stamp, result);
  return result;
}

/**
 * The parse cache failed (a full disk, a damaged file), not the article: the build stops and
 * says so. Reported against each file instead, every file after it was "unreadable", and each
 * store tried again to write every parse still waiting, ever more of them.
 */
function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_') || code === 'ENOSPC');
}

function unreadable(file: string, message: string): IngestResult {
  return { articles: [], diagnostics: [{ severity: 'error', code: 'ingest/unreadable', file, message }] };
}

/**
 * A cached parse's articles given their kept values; worked out now (loading paged text) and
 * kept for next time when there are none, or none this code can use.
 */
function withDerived(result: IngestResult, cached: CachedParse, settings: ReadSettings): IngestResult {
  const { derive, cache } = settings;
  if (!derive || (cached.derived !== null && derive.adopt(result.articles, cached.derived))) return result;
  cache?.keepDerived(cached.key, derive.derive(result.articles));
  return result;
}

const SILENT: Progress = { tick: () => {}, stop: () => {} };
