import type { Command } from 'commander';
import { isPostgresUrl } from '../../state/store/index.ts';
import { migrateToPostgres } from '../../state/store/migrate.ts';
import { createContext, describeFailure, ExitCode, type GlobalOptions } from '../context.ts';

export function registerState(program: Command): void {
  const state = program
    .command('state')
    .description('move the state store (SQLite) to PostgreSQL')
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet state migrate --to postgres://broadsheet:secret@db.example.com:5432/broadsheet',
    );
  state
    .command('migrate')
    .description('copy the SQLite state into a PostgreSQL database, ids intact (safe to run again)')
    .requiredOption('--to <url>', 'postgres://user:pass@host:port/database')
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet state migrate --to postgres://broadsheet:secret@localhost:5432/broadsheet\n  ' +
        'BROADSHEET_DATABASE_URL=postgres://broadsheet:secret@localhost:5432/broadsheet broadsheet send\n\n' +
        'Then set BROADSHEET_DATABASE_URL to the same URL on every machine that sends (docs/scale-out.md).',
    )
    .action(async (options: { to: string }, command: Command) => {
      if (!isPostgresUrl(options.to)) {
        process.stderr.write(
          'broadsheet state migrate: --to: expected postgres://user:pass@host:port/database\n',
        );
        process.exitCode = ExitCode.usage;
        return;
      }
      const ctx = createContext(command.optsWithGlobals<GlobalOptions>());
      const db = ctx.openState();
      try {
        const copies = await migrateToPostgres(db, options.to, (copy) =>
          ctx.log(
            `${copy.table}: ${copy.copied} copied (${copy.rows} in SQLite)` +
              (copy.stopped > 0 ? `, ${copy.stopped} stopped mail since (status taken from SQLite)` : ''),
          ),
        );
        const copied = copies.reduce((n, c) => n + c.copied + c.stopped, 0);
        ctx.log(
          copied > 0 ? `done: ${copied} rows copied or updated` : 'done: PostgreSQL already had everything',
        );
      } catch (error) {
        // The URL holds a password: the message names the failure, never the URL.
        process.stderr.write(`broadsheet state migrate: ${describeFailure(error)}\n`);
        process.exitCode = ExitCode.failure;
      } finally {
        db.close();
      }
    });
}
