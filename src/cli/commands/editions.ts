import type { Command } from 'commander';
import { editionItems } from '../../newsletter/index.ts';
import { type BuildReport, runPipeline } from '../../pipeline/index.ts';
import { type EditionsState, sqliteEditions } from '../../state/store/editions-state.ts';
import type { DeliveryState } from '../../types.ts';
import { printBuildSummary } from '../build-summary.ts';
import { type Context, createContext, ExitCode, type GlobalOptions, printJson } from '../context.ts';
import { count as plural } from '../plural.ts';

/**
 * Editions are what `send` mails, recorded by `build`. These commands let a publisher look at
 * them and correct one before anyone got it: rebuild it from today's articles, or discard it.
 */
export function registerEditions(program: Command): void {
  const group = program
    .command('editions')
    .description('list, show, rebuild or discard newsletter editions (an unsent one can be corrected)')
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet editions list\n  broadsheet editions show latest\n' +
        '  broadsheet editions rebuild latest     # after fixing a story: the unsent edition again\n' +
        '  broadsheet editions discard latest     # an unsent edition; its stories go in the next one',
    );

  group
    .command('list')
    .description('every recorded edition, newest first, with what was sent of it')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExamples:\n  broadsheet editions list\n  broadsheet editions list --json')
    .action((options: { json?: boolean }, command: Command) =>
      withState(command, async (_ctx, state) => {
        const rows = [];
        for (const e of await state.list()) rows.push({ ...e, status: sendStatus(await state.counts(e.id)) });
        if (options.json) printJson(rows);
        else if (rows.length === 0) process.stdout.write('no editions yet: `broadsheet build` records one\n');
        else
          for (const row of rows)
            process.stdout.write(
              `${row.id}\t${plural(row.storyCount, 'story', 'stories')}\t${row.status}\t${row.subject}\n`,
            );
        return ExitCode.ok;
      }),
    );

  group
    .command('show <id>')
    .description('one edition: its window, its stories and where they came from, what was sent')
    .addHelpText('after', '\nExamples:\n  broadsheet editions show latest')
    .action((id: string, _options: unknown, command: Command) =>
      withState(command, async (ctx, state) => {
        const stored = await state.stored(id);
        if (!stored) return noSuchEdition(id);
        const e = stored.edition;
        const lines = [
          `edition ${e.id}: "${e.subject}"`,
          `  ${stored.period} window: ${e.since ?? 'the beginning'} to ${e.until}`,
          `  built: ${stored.createdAt}`,
          `  status: ${sendStatus(await state.counts(e.id))}`,
          `  files: ${ctx.loaded.config.paths.out}/newsletter/${e.id}/ (email.html, email.txt, index.html)`,
          '  stories:',
          ...editionItems(e).map((item) => {
            const source = item.sources[0];
            return `    ${item.published.slice(0, 10)}  ${item.title}${source ? `  (${source.file}:${source.startLine})` : ''}`;
          }),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
        return ExitCode.ok;
      }),
    );

  group
    .command('rebuild <id>')
    .description("make an unsent edition again from today's articles (same id and window)")
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet editions rebuild latest\n\n' +
        'An edition that was sent, even to one reader, is history and is not rebuilt.',
    )
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = createContext(command.optsWithGlobals<GlobalOptions>());
      const checked = await withOpenState(ctx, (state) => unsentEdition(state, id, 'rebuild'));
      if (typeof checked === 'number') {
        process.exitCode = checked;
        return;
      }
      const report = await rebuildPipeline(ctx, checked);
      if (typeof report === 'number') {
        process.exitCode = report;
        return;
      }
      const code = printBuildSummary(ctx, { newsletter: true }, report);
      process.exitCode = report.edition ? code : Math.max(code, ExitCode.inputErrors);
    });

  group
    .command('discard <id>')
    .description('forget an unsent edition; its stories go in the next edition built')
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet editions discard latest\n  broadsheet build     # then build the next one',
    )
    .action((id: string, _options: unknown, command: Command) =>
      withState(command, async (ctx, state) => {
        const checked = await unsentEdition(state, id, 'discard');
        if (typeof checked === 'number') return checked;
        try {
          await state.discard(checked);
        } catch (error) {
          const { BuildSyncError } = await import('../../state/store/index.ts');
          if (error instanceof BuildSyncError) return fail(error.message);
          throw error;
        }
        ctx.log(
          `discarded edition ${checked}; its stories go in the next edition: run \`broadsheet build\` ` +
            '(it also removes the edition from out/)',
        );
        return ExitCode.ok;
      }),
    );
}

/** The edition's id when no reader got it yet; else the exit code after saying why not. */
async function unsentEdition(
  state: EditionsState,
  id: string,
  action: 'rebuild' | 'discard',
): Promise<string | number> {
  const stored = await state.stored(id);
  if (!stored) return noSuchEdition(id);
  const editionId = stored.edition.id;
  const counts = await state.counts(editionId);
  const [sent, inDoubt] = [counts.sent, counts.sending];
  if (sent === 0 && inDoubt === 0) return editionId;
  const what =
    inDoubt > 0
      ? `${plural(sent, 'message was', 'messages were')} sent and ${plural(inDoubt, 'is', 'are')} in doubt`
      : `it was sent to ${plural(sent, 'reader', 'readers')}`;
  return fail(
    `cannot ${action} edition ${editionId}: ${what}, so it is history now. ` +
      'Corrections go in the next edition (`broadsheet build`).',
  );
}

/** "not sent", "sent to 12", or "partly sent: 3 sent, 9 pending" from the ledger. */
function sendStatus(c: Record<DeliveryState, number>): string {
  const waiting = c.pending + c.sending;
  if (c.sent === 0 && waiting === 0) return c.failed > 0 ? `not sent (${c.failed} failed)` : 'not sent';
  const extra = [
    c.sending > 0 ? `${c.sending} in doubt` : '',
    c.pending > 0 ? `${c.pending} pending` : '',
    c.failed > 0 ? `${c.failed} failed` : '',
  ].filter(Boolean);
  if (waiting === 0) return `sent to ${c.sent}${extra.length ? ` (${extra.join(', ')})` : ''}`;
  return `partly sent: ${c.sent} sent, ${extra.join(', ')}`;
}

function noSuchEdition(id: string): number {
  return fail(
    id === 'latest'
      ? 'no edition yet: `broadsheet build` records one'
      : `no edition "${id}" (\`broadsheet editions list\` shows the ids)`,
  );
}

async function withState(
  command: Command,
  run: (ctx: Context, state: EditionsState) => Promise<number>,
): Promise<void> {
  const ctx = createContext(command.optsWithGlobals<GlobalOptions>());
  process.exitCode = await withOpenState(ctx, (state) => run(ctx, state));
}

/**
 * The editions where `build` records them: PostgreSQL with BROADSHEET_DATABASE_URL (as `send`
 * reads them), else the state file.
 */
async function withOpenState<T>(ctx: Context, run: (state: EditionsState) => Promise<T>): Promise<T> {
  // pg is loaded only when used (startup time).
  const state = ctx.env.databaseUrl
    ? await (await import('../../state/store/index.ts')).postgresEditions(ctx.env.databaseUrl)
    : sqliteEditions(ctx.openState());
  try {
    return await run(state);
  } finally {
    await state.close();
  }
}

/** `editions rebuild`: the pipeline on the state the editions live in. */
async function rebuildPipeline(ctx: Context, id: string): Promise<BuildReport | number> {
  const options = { newsletter: true, rebuild: id };
  if (!ctx.env.databaseUrl) return runPipeline(ctx, options);
  const { runPipelineOnPostgres } = await import('./build-postgres.ts');
  return runPipelineOnPostgres(ctx, ctx.env.databaseUrl, options);
}

function fail(message: string): number {
  process.stderr.write(`broadsheet editions: ${message}\n`);
  return ExitCode.usage;
}
