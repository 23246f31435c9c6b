import type { BuildReport, PipelineOptions } from '../pipeline/index.ts';
import type { Context } from './context.ts';
import { count } from './plural.ts';
import { ExitCode, printJson } from './print.ts';

export interface BuildOptions extends PipelineOptions {
  /** Keep running and build again after every change (see commands/build-watch.ts). */
  watch?: boolean;
  /** Print the build summary as JSON on stdout (the human summary still goes to stderr). */
  json?: boolean;
}

/**
 * Prints what a build did (stderr; with `--json` also the summary on stdout) and gives the exit
 * code: errors in the input are the user's to fix.
 */
export function printBuildSummary(
  ctx: Pick<Context, 'log'>,
  options: BuildOptions,
  report: BuildReport,
): number {
  const { written, seconds, errors, warnings } = report;
  if (report.replayed)
    ctx.log(
      'nothing changed since the last build, which changed nothing: out/ and the state are as they were',
    );
  ctx.log(report.newsletter);
  ctx.log(
    `read ${count(report.files, 'file')} → ${count(report.articles, 'article')} ` +
      `(${count(report.merges.length, 'merge')}) → ${count(report.items, 'item')}; ` +
      `${count(errors, 'error')}, ${count(warnings, 'warning')}`,
  );
  ctx.log(
    `wrote ${count(written.written, 'file')} (${written.unchanged} unchanged, ${written.removed} removed; ` +
      `${written.rendered} rendered) ` +
      `in ${s(seconds.total)} [read ${s(seconds.read)}, dedupe ${s(seconds.dedupe)}, ` +
      `normalize ${s(seconds.site)}, newsletter ${s(seconds.newsletter)}, ` +
      `render+write ${s(seconds.write)}]`,
  );
  if (options.json) {
    printJson({
      files: report.files,
      articles: report.articles,
      merges: report.merges,
      items: report.items,
      edition: report.edition ? { id: report.edition.id, subject: report.edition.subject } : null,
      newsletter: report.newsletter,
      written,
      errors,
      warnings,
      diagnostics: report.diagnostics,
      seconds,
    });
  }
  return errors > 0 ? ExitCode.inputErrors : ExitCode.ok;
}

function s(seconds: number): string {
  return `${seconds.toFixed(2)} s`;
}
