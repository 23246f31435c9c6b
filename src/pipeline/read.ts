import { statSync } from 'node:fs';
import {
  type IngestOptions,
  type IngestResult,
  pageText,
  parseSourceFile,
  type StoryText,
  textChars,
  tooLargeDiagnostic,
} from '../ingest/index.ts';
import type { CachedParse, ParseCache } from '../state/index.ts';
import type { Article, Diagnostic } from '../types.ts';
import type { PipelineHost, Progress } from './host.ts';
import { displayPath, listArticleFiles, readSourceFile } from './inputs.ts';
import { SETTLE_MS, statStamp } from './settle.ts';

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
  const { files, skipped, missing } = listArticleFiles(paths);
  const articles: Article[] = [];
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
  const trusted = { ...settings, trustStampsBefore: settings.trustStampsBefore ?? Date.now() - SETTLE_MS };
  memo?.begin(JSON.stringify([options.maxFileBytes, options.timeZone, settings.root ?? process.cwd()]));
  const pager = memo?.pager ?? new TextPager();
  pager.begin(settings.cache, settings.textBudget);
  const progress: Progress = settings.progress?.('reading', files.length) ?? SILENT;
  try {
    for (const path of files) {
      progress.tick();
      const result = readOne(path, options, trusted, pager);
      // A loop, not push(...list): one dump file can hold more articles than a call takes arguments.
      for (const article of result.articles) articles.push(article);
      for (const diagnostic of result.diagnostics) diagnostics.push(diagnostic);
    }
  } finally {
    progress.stop();
  }
  settings.cache?.flush();
  memo?.retain(files);
  if (settings.pruneCache && settings.cache && !memo?.prunedFor(files)) {
    settings.cache.prune(files.map((path) => displayPath(path, settings.root)));
    memo?.markPruned(files);
  }
  return { files: files.length, articles, diagnostics };
}

function readOne(
  path: string,
  options: IngestOptions,
  settings: ReadSettings,
  pager: TextPager,
): IngestResult {
  // The path diagnostics show, worked out only when one is made (a warm rebuild reads none).
  const file = () => displayPath(path, settings.root);
  try {
    const stats = statSync(path);
    if (stats.size > options.maxFileBytes) {
      return { articles: [], diagnostics: [tooLargeDiagnostic(file(), stats.size, options.maxFileBytes)] };
    }
    // A stamp is trusted only once the file has been still for a while: on a file system with
    // coarse timestamps, an edit in the same second as the read could keep size and times.
    const settled = Math.max(stats.mtimeMs, stats.ctimeMs) < (settings.trustStampsBefore ?? 0);
    const stamp = settled ? statStamp(stats) : null;
    const { cache, memo } = settings;
    if (stamp !== null) {
      const remembered = memo?.get(path, stamp);
      if (remembered) return remembered;
      const cached = cache?.lookupUnchanged(file(), stamp);
      if (cached) {
        const result = withDerived(pager.fromCache(cached, file()), cached, settings);
        memo?.set(path, stamp, result);
        return result;
      }
    }
    const source = readSourceFile(path, settings.root);
    const cached = cache?.lookup(source);
    let result: IngestResult;
    if (cached) {
      result = withDerived(pager.fromCache(cached, source.path), cached, settings);
      if (stamp !== null) cache?.restamp(source, stamp);
    } else {
      const parsed = parseSourceFile(source, options);
      const derived = settings.derive?.derive(parsed.articles);
      const key = cache?.store(source, parsed, stamp ?? undefined, derived);
      result = key === undefined ? parsed : pager.fresh(parsed, key, source.path);
      // Paged copies are new objects: the values go with them.
      if (derived !== undefined && result !== parsed)
        settings.derive?.carry(parsed.articles, result.articles);
    }
    if (stamp !== null) memo?.set(path, stamp, result);
    return result;
  } catch (error) {
    return {
      articles: [],
      diagnostics: [
        { severity: 'error', code: 'ingest/unreadable', file: file(), message: (error as Error).message },
      ],
    };
  }
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
