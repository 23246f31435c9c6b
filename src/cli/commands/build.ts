import { type Command, Option } from 'commander';
import type { BuildMemo } from '../../pipeline/index.ts';
// The one pipeline module loaded before it is known whether the build must run: a build that
// would change nothing is replayed from its record in ~0.3 s, less than loading the pipeline
// (and the config schema) takes. Everything else is imported once the build runs.
import { type Replayed, replayUnchangedBuild } from '../../pipeline/replay.ts';
import { type BuildOptions, printBuildSummary } from '../build-summary.ts';
import type { Context, GlobalOptions } from '../context.ts';
import { LOW_MEMORY_HEAP_GROWTH_PERCENT, setHeapGrowthPercent } from '../heap.ts';
import { printDiagnostics, setQuietProcess } from '../print.ts';

export type { BuildOptions };

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('build articles/ into feeds, pages and the newsletter edition in out/')
    .option('--since <date>', 'newsletter: stories published after this ISO date or date-time')
    .addOption(
      new Option(
        '--period <period>',
        'newsletter: the stretch an edition covers (default from config)',
      ).choices(['daily', 'weekly', 'since-last']),
    )
    .option('--no-newsletter', 'build feeds and pages only')
    .option('--json', 'print a summary as JSON on stdout: counts, merges, edition, diagnostics, timings')
    .option(
      '--watch',
      'keep running: build again after every change to articles, templates or the config, reusing the last build (records no newsletter edition)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet build\n  broadsheet build --watch\n  broadsheet build --period weekly\n  SOURCE_DATE_EPOCH=1764000000 broadsheet build\n  broadsheet build --quiet --json | jq .items\n' +
        '  BROADSHEET_DATABASE_URL=postgres://broadsheet:secret@db.example/broadsheet broadsheet build   # state in PostgreSQL: fresh CI runners keep ids and editions',
    )
    .action(async (options: BuildOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      // A usage error (exit 2) before anything is built, like any other bad option; loaded only then.
      if (options.since !== undefined) {
        const { sinceSyntaxProblem } = await import('../../newsletter/index.ts');
        const problem = sinceSyntaxProblem(options.since);
        if (problem) command.error(`error: ${problem}`, { code: 'broadsheet.since', exitCode: 2 });
      }
      if (options.watch) {
        const { watchUntilInterrupted } = await import('./build-watch.ts');
        process.exitCode = await watchUntilInterrupted(globals, options);
        return;
      }
      const replayed = replayUnchangedBuild({
        configFile: globals.config ?? null,
        cwd: process.cwd(),
        env: process.env,
        options,
      });
      if (replayed) {
        process.exitCode = printReplayed(Boolean(globals.quiet), options, replayed);
        return;
      }
      const { createContext } = await import('../context.ts');
      const ctx = createContext(globals);
      // A one-shot build holds the whole archive once: keep the heap near what is live.
      if (ctx.loaded.config.build.lowMemory) setHeapGrowthPercent(LOW_MEMORY_HEAP_GROWTH_PERCENT);
      process.exitCode = await runBuild(ctx, options);
    });
}

/** One `broadsheet build`: the pipeline, then its summary. */
export async function runBuild(ctx: Context, options: BuildOptions, memo?: BuildMemo): Promise<number> {
  if (ctx.env.databaseUrl) {
    const { runPipelineOnPostgres } = await import('./build-postgres.ts');
    const report = await runPipelineOnPostgres(ctx, ctx.env.databaseUrl, options);
    return typeof report === 'number' ? report : printBuildSummary(ctx, options, report);
  }
  const { runPipeline } = await import('../../pipeline/index.ts');
  return printBuildSummary(ctx, options, await runPipeline(ctx, options, memo));
}

/** What the recorded build printed, again: its merges, its diagnostics, its summary. */
function printReplayed(quiet: boolean, options: BuildOptions, { logged, report }: Replayed): number {
  setQuietProcess(quiet);
  const log = (message: string): void => {
    if (!quiet) process.stderr.write(`${message}\n`);
  };
  for (const line of logged) log(line);
  printDiagnostics(report.diagnostics);
  return printBuildSummary({ log }, options, report);
}
