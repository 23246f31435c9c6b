import { dirname, join } from 'node:path';
import { dedupeArticles, type Merge } from '../dedupe/index.ts';
import { planSite, type SiteTheme } from '../render/index.ts';
import type { StateDb } from '../state/index.ts';
import {
  acquireLock,
  dropLegacyParseCache,
  fullDiskNamed,
  openMediaDigests,
  openParseCache,
} from '../state/index.ts';
import type { CopiedOutput, Diagnostic, Edition, Item } from '../types.ts';
import { heapLimitAdvice } from './heap-advice.ts';
import type { PipelineHost } from './host.ts';
import { emptyInputFolder, missingInputFolder } from './inputs.ts';
import { resolveMedia } from './media.ts';
import type { BuildMemo } from './memo.ts';
import {
  buildNewsletter,
  type NewsletterOptions,
  type NewsletterResult,
  unreadablePublishedDates,
} from './newsletter.ts';
import { type WriteSummary, writeOutputs, writeOutputsShared } from './output.ts';
import { readArticlesShared } from './read.ts';
import { renderPool } from './render-pool.ts';
import { type NormalizedSite, normalizeSite, siteOptions } from './site.ts';
import { tidySpare } from './spare.ts';
import { StoryDigests } from './story-digests.ts';
import { loadSiteTheme, siteTemplateFailure } from './theme.ts';
import { cpuSample } from './threads.ts';
import { checkUnchanged, forgetRecord, recordIfUnchanged } from './unchanged.ts';
import { writePool } from './write-pool.ts';

export interface PipelineOptions extends NewsletterOptions {
  /** False: no new edition; the recorded ones stay published. */
  newsletter: boolean;
}

/** What one run did, for the command to print (or a test to check). */
export interface BuildReport {
  files: number;
  articles: number;
  merges: Merge[];
  items: number;
  edition: Edition | null;
  /** What the newsletter step did, in words. */
  newsletter: string;
  written: WriteSummary;
  /**
   * True when nothing the build reads changed since a build that changed nothing: that build's
   * report was replayed, no story was read and out/ was left as it was (see unchanged.ts).
   */
  replayed: boolean;
  /** Every diagnostic, in the order reported (the heap warning first). */
  diagnostics: Diagnostic[];
  errors: number;
  warnings: number;
  /** Wall-clock seconds per step, rounded to the millisecond. */
  seconds: { total: number; read: number; dedupe: number; site: number; newsletter: number; write: number };
}

/**
 * The whole pipeline: ingest → dedupe → normalize → (store identities) → plan the site →
 * newsletter → write. Each step gets its input from the previous step's return value, so the
 * order is the code's: the articles exist only inside `itemsFromArticles` (gone before
 * planning), and the items come only from `saveIdentities` (stored before an edition records
 * them). A process that builds again and again (`serve`, `build --watch`) passes the same
 * `memo` each time: a rebuild then redoes only what the changed files touch, with the same
 * output as a build without it.
 */
export async function runPipeline(
  host: PipelineHost,
  options: PipelineOptions,
  memo?: BuildMemo,
): Promise<BuildReport> {
  const lap = stopwatch();
  // Before anything is opened or written: a renamed or unmounted articles folder must not
  // publish an empty site (every page and feed removed) that a cron job would then send.
  const missing = missingInputFolder(host.path(host.loaded.config.paths.articles));
  if (missing) throw new NoInputError(missing);
  // A broken site template stops the build before anything is read, recorded or written.
  const theme = loadSiteTheme(host);
  // Two builds of one publication would race on the state and on the output's builds folder.
  const lock = acquireLock(host.lockPath('build'), 'build');
  try {
    // serve and build --watch keep memos; editions rebuild and serve's preview are not builds.
    // A build on shared state (PostgreSQL: `beforePublish` writes it back) depends on what
    // other machines recorded there, which no local snapshot sees: never replayed.
    if (
      memo !== undefined ||
      options.rebuild !== undefined ||
      options.previewUnsent ||
      host.beforePublish !== undefined
    )
      return (await buildLocked(host, options, memo, lap, theme)).report;
    // A one-shot build from what the last build that changed nothing found (inputs, state,
    // out/, code, options, newsletter window) does the same again: replayed, no story loaded.
    const { snapshot, record } = checkUnchanged<BuildReport>(host, options);
    if (record) {
      for (const line of record.logged) host.log(line);
      host.report(record.report.diagnostics);
      return { ...record.report, replayed: true, seconds: { ...NO_SECONDS, total: lap.total() } };
    }
    forgetRecord(host);
    const logged: string[] = [];
    const { report, steadyUntil } = await buildLocked(loggingInto(host, logged), options, memo, lap, theme);
    const changedNothing =
      report.written.written === 0 &&
      report.written.removed === 0 &&
      report.written.rendered === 0 &&
      !report.diagnostics.some((d) => d.code === 'build/heap-limit');
    if (changedNothing)
      recordIfUnchanged(
        host,
        options,
        snapshot,
        { ...report, seconds: NO_SECONDS },
        logged,
        // An archive with no story has feeds dated by the build's time: only this instant.
        report.items > 0 ? steadyUntil : undefined,
      );
    return report;
  } finally {
    lock.release();
  }
}

const NO_SECONDS: BuildReport['seconds'] = { total: 0, read: 0, dedupe: 0, site: 0, newsletter: 0, write: 0 };

/** `host`, with every line it logs also kept in `lines` (a replayed build logs them again). */
function loggingInto(host: PipelineHost, lines: string[]): PipelineHost {
  const logging: PipelineHost = Object.create(host);
  logging.log = (message) => {
    lines.push(message);
    host.log(message);
  };
  return logging;
}

/** A build's report, and what only the replay record needs from it. */
interface Built {
  report: BuildReport;
  /** See NewsletterResult.steadyUntil: how long a no-edition since-last build stays replayable. */
  steadyUntil?: number | null;
}

/** The pipeline itself, under the build lock. */
async function buildLocked(
  host: PipelineHost,
  options: PipelineOptions,
  memo: BuildMemo | undefined,
  lap: Stopwatch,
  theme: SiteTheme,
): Promise<Built> {
  // The machine's CPU times now: render helpers start where cores stayed idle meanwhile.
  const started = cpuSample();
  const db = host.openState();
  const cacheDb = host.openCache();
  const out = host.path(host.loaded.config.paths.out);
  // In a process beside this one while it reads and plans: the spare build is cleared for the
  // writer. Started once the files are open, so the `finally` below always waits for it.
  const tidying = tidySpare(out);
  try {
    if (dropLegacyParseCache(db))
      host.log(
        `state: dropped the parse cache from the state file; it now lives in ${host.loaded.config.paths.cache}`,
      );
    const stories = await itemsFromArticles(host, cacheDb, db, memo, lap);
    const items = stories.normalized.saveIdentities();
    const siteSettings = siteOptions(host, theme);
    const siteFiles = planSite(items, siteSettings, memo?.render);
    const site = lap();
    const undated = unreadablePublishedDates([...stories.readDiagnostics, ...stories.normalized.diagnostics]);
    const newsletter = await newsletterStep(host, db, items, undated, { ...options, theme }, memo);
    const diagnostics = [
      ...stories.readDiagnostics,
      ...stories.mediaDiagnostics,
      ...stories.normalized.diagnostics,
      ...newsletter.diagnostics,
    ];
    host.report(diagnostics);
    // Reported already, as soon as it was known: running out of heap ends the process.
    if (stories.heapAdvice) diagnostics.unshift(stories.heapAdvice);
    const newsletterSeconds = lap();
    await host.beforePublish?.();
    const outputs = [...siteFiles, ...stories.mediaFiles, ...newsletter.files];
    // Beside the parse cache (disposable, ignored by git): replaced builds are removed there
    // by a detached process, not by this build.
    const writing = {
      trash: join(dirname(host.path(host.loaded.config.paths.cache)), 'trash'),
      tidied: await tidying,
    };
    const helpers = renderPool({
      threads: host.loaded.config.build.threads,
      since: started,
      items,
      site: siteSettings,
      outputs: siteFiles.length,
    });
    // Paged text renders here (no helpers): a writer thread still takes the writing.
    const writer = helpers ? undefined : writePool(host.loaded.config.build.threads, started);
    const written =
      helpers || writer
        ? await writeOutputsShared(out, outputs, { helpers, writer }, memo?.write, writing)
        : writeOutputs(out, outputs, memo?.write, writing);
    const write = lap();
    const report: BuildReport = {
      files: stories.files,
      articles: stories.articles,
      merges: stories.merges,
      items: items.length,
      edition: newsletter.edition,
      newsletter: newsletter.message,
      written,
      replayed: false,
      diagnostics,
      errors: diagnostics.filter((d) => d.severity === 'error').length,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      seconds: {
        total: lap.total(),
        read: stories.seconds.read,
        dedupe: stories.seconds.dedupe,
        site,
        newsletter: newsletterSeconds,
        write,
      },
    };
    return { report, steadyUntil: newsletter.steadyUntil };
  } catch (error) {
    // A template that fails while a page is filled (an undefined variable) is reported like one
    // that does not compile: the writer throws before its swap, so out/ stays as it was. A full
    // disk under the state or the cache file is named (SQLite's own message names neither).
    throw siteTemplateFailure(fullDiskNamed(error, [db.name, cacheDb.name]));
  } finally {
    cacheDb.close();
    db.close();
    // Not left clearing the spare once the lock is released (a failed build ends early).
    await tidying;
  }
}

/** Nothing to build (no articles folder, or no article file in it): nothing was written. */
export class NoInputError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

interface Stories {
  files: number;
  articles: number;
  merges: Merge[];
  readDiagnostics: Diagnostic[];
  /** The pictures and sound articles name, for out/, and what was wrong with them. */
  mediaFiles: CopiedOutput[];
  mediaDiagnostics: Diagnostic[];
  heapAdvice: Diagnostic | null;
  normalized: NormalizedSite;
  seconds: { read: number; dedupe: number };
}

/**
 * Read → dedupe → normalize. The read articles live only inside this call: what it returns holds
 * items, not articles (a cold 100k build would otherwise keep ~120 MiB of read articles and
 * identities through planning).
 */
async function itemsFromArticles(
  host: PipelineHost,
  cacheDb: StateDb,
  db: StateDb,
  memo: BuildMemo | undefined,
  lap: Stopwatch,
): Promise<Stories> {
  const { config } = host.loaded;
  const ingest = { maxFileBytes: config.ingest.maxFileBytes, timeZone: config.site.timeZone };
  // Per build: a warm rebuild's memos already hold what they worked out for the articles the
  // read memo gives back, and these tables would otherwise grow with every save.
  const digests = new StoryDigests();
  // Unchanged files come from the parse cache: a rebuild parses only edits. Rows of files
  // that are gone are pruned, so the cache stays the size of the articles.
  const read = await readArticlesShared([host.path(config.paths.articles)], ingest, {
    threads: config.build.threads,
    progress: host.progress,
    cache: openParseCache(cacheDb, ingest),
    root: host.loaded.root,
    pruneCache: true,
    textBudget: config.ingest.textMemoryMB * 1_000_000,
    derive: digests,
    ...(memo ? { memo: memo.read } : {}),
  });
  const readSeconds = lap();
  if (read.files === 0) {
    host.report(read.diagnostics);
    throw new NoInputError(emptyInputFolder(host.path(config.paths.articles)));
  }
  // Said now, not with the rest, and even with --quiet: running out of heap ends the process.
  const heapAdvice = heapLimitAdvice(read.articles.length, host.heapLimitBytes());
  if (heapAdvice) host.report([heapAdvice], true);
  const deduped = dedupeArticles(read.articles, memo?.dedupe, digests.keysOf);
  logMerges(host, deduped.merges, memo);
  const dedupeSeconds = lap();
  const media = resolveMedia(deduped.articles, {
    root: host.loaded.root,
    articlesDir: host.path(config.paths.articles),
    baseUrl: config.site.baseUrl,
    digests: openMediaDigests(cacheDb),
  });
  return {
    files: read.files,
    articles: read.articles.length,
    merges: deduped.merges,
    readDiagnostics: read.diagnostics,
    mediaFiles: media.outputs,
    mediaDiagnostics: media.diagnostics,
    heapAdvice,
    normalized: normalizeSite(host, db, media.articles, cacheDb, memo, digests.hashOf),
    seconds: { read: readSeconds, dedupe: dedupeSeconds },
  };
}

/** A watching process (serve, build --watch) names each merge once, not on every save. */
function logMerges(host: PipelineHost, merges: Merge[], memo: BuildMemo | undefined): void {
  const lines = merges.map((merge) => {
    const from = merge.from.map((s) => `${s.file}:${s.startLine}`).join(', ');
    return `merged: "${merge.title}" ${merge.into.file}:${merge.into.startLine} ← ${from}`;
  });
  for (const line of lines) if (!memo?.mergesReported.has(line)) host.log(line);
  if (memo) memo.mergesReported = new Set(lines);
}

/**
 * --no-newsletter makes no new edition, but the recorded ones stay published in out/ (with no
 * files for them, the writer would remove them as stale).
 */
async function newsletterStep(
  host: PipelineHost,
  db: StateDb,
  items: Item[],
  unreadablyDated: readonly Diagnostic[],
  options: PipelineOptions,
  memo: BuildMemo | undefined,
): Promise<NewsletterResult> {
  if (options.newsletter) return buildNewsletter(host, db, items, options, memo?.edition, unreadablyDated);
  return {
    ...(await buildNewsletter(host, db, items, { ...options, recordEdition: false })),
    message: 'newsletter: no new edition (--no-newsletter); recorded editions kept',
  };
}

interface Stopwatch {
  /** Seconds since the last lap (or the start). */
  (): number;
  /** Seconds since the start. */
  total(): number;
}

function stopwatch(): Stopwatch {
  const started = performance.now();
  let last = started;
  const lap = (): number => {
    const now = performance.now();
    const seconds = round(now - last);
    last = now;
    return seconds;
  };
  return Object.assign(lap, { total: () => round(performance.now() - started) });
}

function round(ms: number): number {
  return Math.round(ms) / 1000;
}
