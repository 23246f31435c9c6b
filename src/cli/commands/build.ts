import { getHeapStatistics } from 'node:v8';
import type { Command } from 'commander';
import { type DedupeResult, dedupeArticles } from '../../dedupe/index.ts';
import type { BuildMemo } from '../../pipeline/memo.ts';
import { buildNewsletter, type NewsletterOptions } from '../../pipeline/newsletter.ts';
import { writeOutputs } from '../../pipeline/output.ts';
import { type ReadResult, readArticles } from '../../pipeline/read.ts';
import { normalizeSite, planSiteOutputs } from '../../pipeline/site.ts';
import { dropLegacyParseCache, openParseCache } from '../../state/cache.ts';
import {
  type Context,
  createContext,
  ExitCode,
  type GlobalOptions,
  printDiagnostics,
  printJson,
} from '../context.ts';
import { heapLimitAdvice, LOW_MEMORY_HEAP_GROWTH_PERCENT, setHeapGrowthPercent } from '../heap.ts';

export interface BuildOptions extends NewsletterOptions {
  newsletter: boolean;
  /** Keep running and build again after every change (see build-watch.ts). */
  watch?: boolean;
  /** Print the build summary as JSON on stdout (the human summary still goes to stderr). */
  json?: boolean;
}

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('build articles/ into feeds, pages and the newsletter edition in out/')
    .option('--since <date>', 'newsletter: stories published after this ISO date or date-time')
    .option('--period <period>', 'newsletter: daily | weekly | since-last (default from config)')
    .option('--no-newsletter', 'build feeds and pages only')
    .option('--json', 'print a summary as JSON on stdout: counts, merges, edition, diagnostics, timings')
    .option(
      '--watch',
      'keep running: build again after every change to articles, templates or the config, reusing the last build (records no newsletter edition)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet build\n  broadsheet build --watch\n  broadsheet build --period weekly\n  SOURCE_DATE_EPOCH=1764000000 broadsheet build\n  broadsheet build --quiet --json | jq .items',
    )
    .action(async (options: BuildOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (options.watch) {
        const { watchUntilInterrupted } = await import('./build-watch.ts');
        process.exitCode = await watchUntilInterrupted(globals, options);
        return;
      }
      const ctx = createContext(globals);
      // A one-shot build holds the whole archive once: keep the heap near what is live.
      if (ctx.loaded.config.build.lowMemory) setHeapGrowthPercent(LOW_MEMORY_HEAP_GROWTH_PERCENT);
      process.exitCode = await runBuild(ctx, options);
    });
}

/**
 * The whole pipeline: ingest → dedupe → normalize + render → newsletter → write. A process that
 * builds again and again (`serve`) passes the same `memo` each time: a rebuild then redoes only
 * what the changed files touch, with the same output as a build without it.
 */
export async function runBuild(ctx: Context, options: BuildOptions, memo?: BuildMemo): Promise<number> {
  const { config } = ctx.loaded;
  const started = performance.now();
  const db = ctx.openState();
  const cacheDb = ctx.openCache();
  try {
    if (dropLegacyParseCache(db))
      ctx.log(`state: dropped the parse cache from the state file; it now lives in ${config.paths.cache}`);
    const ingest = { maxFileBytes: config.ingest.maxFileBytes, timeZone: config.site.timeZone };
    // Unchanged files come from the parse cache: a rebuild parses only edits. Rows of files
    // that are gone are pruned, so the cache stays the size of the articles.
    // `let`: the articles are let go once they are items (see below).
    let read: ReadResult | undefined = readArticles([ctx.path(config.paths.articles)], ingest, {
      quiet: ctx.quiet,
      cache: openParseCache(cacheDb, ingest),
      root: ctx.loaded.root,
      pruneCache: true,
      textBudget: config.ingest.textMemoryMB * 1_000_000,
      ...(memo ? { memo: memo.read } : {}),
    });
    const readDone = performance.now();
    const { files, diagnostics: readDiagnostics } = read;
    // Said now, not with the rest: running out of heap ends the process.
    const heapAdvice = heapLimitAdvice(read.articles.length, getHeapStatistics().heap_size_limit);
    if (heapAdvice) printDiagnostics([heapAdvice]);
    const articleCount = read.articles.length;
    let deduped: DedupeResult | undefined = dedupeArticles(read.articles, memo?.dedupe);
    const mergeList = deduped.merges;
    // A watching process (serve, build --watch) names each merge once, not on every save.
    const merges = mergeList.map((merge) => {
      const from = merge.from.map((s) => `${s.file}:${s.startLine}`).join(', ');
      return `merged: "${merge.title}" ${merge.into.file}:${merge.into.startLine} ← ${from}`;
    });
    for (const line of merges) if (!memo?.mergesReported.has(line)) ctx.log(line);
    if (memo) memo.mergesReported = new Set(merges);
    const siteStarted = performance.now();
    const normalized = normalizeSite(ctx, db, deduped.articles, cacheDb, memo);
    // The items hold what the rest needs: let go of the articles before planning the outputs
    // (a cold 100k build otherwise keeps ~120 MiB of read articles and identities through it).
    read = undefined;
    deduped = undefined;
    // Before the newsletter: the edition it records names these ids, which must be the ones kept.
    normalized.saveIdentities();
    const site = { ...normalized, files: planSiteOutputs(ctx, normalized.items, memo) };
    const siteDone = performance.now();
    // --no-newsletter makes no new edition, but the recorded ones stay published in out/ (with
    // no files for them, the writer would remove them as stale).
    const newsletter = options.newsletter
      ? await buildNewsletter(ctx, db, site.items, options, memo?.edition)
      : {
          ...(await buildNewsletter(ctx, db, site.items, { ...options, recordEdition: false })),
          message: 'newsletter: no new edition (--no-newsletter); recorded editions kept',
        };
    const diagnostics = [...readDiagnostics, ...site.diagnostics, ...newsletter.diagnostics];
    printDiagnostics(diagnostics);
    if (heapAdvice) diagnostics.unshift(heapAdvice);
    const newsletterDone = performance.now();
    const written = writeOutputs(
      ctx.path(config.paths.out),
      [...site.files, ...newsletter.files],
      (path) => path.startsWith('outbox/'),
      memo?.write,
    );
    ctx.log(newsletter.message);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    const done = performance.now();
    ctx.log(
      `read ${count(files, 'file')} → ${count(articleCount, 'article')} ` +
        `(${count(mergeList.length, 'merge')}) → ${count(site.items.length, 'item')}; ` +
        `${count(errors, 'error')}, ${count(warnings, 'warning')}`,
    );
    ctx.log(
      `wrote ${count(written.written, 'file')} (${written.unchanged} unchanged, ${written.removed} removed; ` +
        `${written.rendered} rendered) ` +
        `in ${seconds(done - started)} [read ${seconds(readDone - started)}, dedupe ${seconds(siteStarted - readDone)}, ` +
        `normalize ${seconds(siteDone - siteStarted)}, newsletter ${seconds(newsletterDone - siteDone)}, ` +
        `render+write ${seconds(done - newsletterDone)}]`,
    );
    if (options.json) {
      printJson({
        files,
        articles: articleCount,
        merges: mergeList,
        items: site.items.length,
        edition: newsletter.edition
          ? { id: newsletter.edition.id, subject: newsletter.edition.subject }
          : null,
        newsletter: newsletter.message,
        written,
        errors,
        warnings,
        diagnostics,
        seconds: {
          total: round(done - started),
          read: round(readDone - started),
          dedupe: round(siteStarted - readDone),
          site: round(siteDone - siteStarted),
          newsletter: round(newsletterDone - siteDone),
          write: round(done - newsletterDone),
        },
      });
    }
    return errors > 0 ? ExitCode.inputErrors : ExitCode.ok;
  } finally {
    cacheDb.close();
    db.close();
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function round(ms: number): number {
  return Math.round(ms) / 1000;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
