import { resolve } from 'node:path';
import type { Command } from 'commander';
import { dedupeArticles, type Merge } from '../../dedupe/index.ts';
import { readArticles } from '../../pipeline/read.ts';
import type { Article, Diagnostic, SourceRef } from '../../types.ts';
import { createContext, ExitCode, type GlobalOptions, printDiagnostics } from '../context.ts';
import { count } from '../plural.ts';
import { startProgress } from '../progress.ts';

interface InspectOptions {
  json?: boolean;
}

/** A group of copies folded into one article: within a file (ingest) or across files (dedupe). */
export interface InspectMerge extends Merge {
  stage: 'ingest' | 'dedupe';
}

/** What `inspect --json` prints (documented in docs/format.md). */
export interface InspectReport {
  files: number;
  articles: Article[];
  merges: InspectMerge[];
  diagnostics: Diagnostic[];
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('read articles and show what Broadsheet understood: fields, merges, problems')
    .argument('[paths...]', 'article files or folders (default: paths.articles from the config)')
    .option('--json', 'print {files, articles, merges, diagnostics} as JSON on stdout')
    .addHelpText(
      'after',
      `
Runs the ingest and dedupe stages only: nothing is written, no state is touched.
Exits 1 when any file has errors (diagnostics name file and line).

Examples:
  broadsheet inspect
  broadsheet inspect articles/example.txt
  broadsheet inspect articles --json | jq '.articles[] | {title, published}'
  broadsheet inspect --json | jq '.diagnostics[] | select(.severity == "error")'`,
    )
    .action((paths: string[], options: InspectOptions, command: Command) => {
      const ctx = createContext(command.optsWithGlobals<GlobalOptions>());
      const { config } = ctx.loaded;
      const targets = paths.length > 0 ? paths.map((p) => resolve(p)) : [ctx.path(config.paths.articles)];
      const report = inspectArticles(targets, {
        maxFileBytes: config.ingest.maxFileBytes,
        timeZone: config.site.timeZone,
        quiet: ctx.quiet || Boolean(options.json),
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        process.stdout.write(formatReport(report));
      }
      printDiagnostics(report.diagnostics);
      const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
      ctx.log(
        `${count(report.articles.length, 'article')} from ${count(report.files, 'file')}, ${count(report.merges.length, 'merge')}, ` +
          `${count(errors, 'error')}, ${count(report.diagnostics.length - errors, 'warning')}`,
      );
      process.exitCode = errors > 0 ? ExitCode.inputErrors : ExitCode.ok;
    });
}

export function inspectArticles(
  paths: string[],
  options: { maxFileBytes: number; timeZone: string; quiet: boolean },
): InspectReport {
  const quiet = options.quiet;
  const read = readArticles(paths, options, {
    progress: (label, total) => startProgress(label, total, quiet),
  });
  const inFile: InspectMerge[] = read.articles
    .filter((article) => article.mergedFrom.length > 0)
    .map((article) => ({
      stage: 'ingest',
      title: article.title,
      into: article.sources[0] as SourceRef,
      from: article.mergedFrom,
    }));
  const deduped = dedupeArticles(read.articles);
  return {
    files: read.files,
    articles: deduped.articles,
    merges: [...inFile, ...deduped.merges.map((merge): InspectMerge => ({ stage: 'dedupe', ...merge }))],
    diagnostics: read.diagnostics,
  };
}

function where(source: SourceRef): string {
  return `${source.file}:${source.startLine}-${source.endLine}`;
}

/** One block per article, the fields a publisher checks first. */
export function formatReport(report: InspectReport): string {
  const out: string[] = [];
  for (const article of report.articles) {
    out.push(article.title);
    const by = article.authors.length > 0 ? article.authors.join(', ') : '(no byline)';
    out.push(
      `  by ${by} · published ${article.published ?? '(none)'}${article.updated ? ` · updated ${article.updated}` : ''}`,
    );
    out.push(
      `  ${article.format}: ${article.highlights.length} highlights, ${article.body.length} body, ` +
        `${article.analysis.length} analysis, ${article.related.length} related` +
        (article.tags.length > 0 ? ` · tags ${article.tags.join(', ')}` : ''),
    );
    if (article.canonicalUrl) out.push(`  canonical ${article.canonicalUrl}`);
    out.push(`  from ${article.sources.map(where).join(', ')}`);
    if (article.mergedFrom.length > 0) out.push(`  merged ${article.mergedFrom.map(where).join(', ')}`);
    out.push('');
  }
  return out.join('\n');
}
