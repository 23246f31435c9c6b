import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config/index.ts';
import {
  cleanSubscriberName,
  normalizeEmail,
  parseSubscribersCsv,
  parseTopics,
  subscribersToCsv,
} from '../../deliver/index.ts';
import { slugify } from '../../normalize/text.ts';
import { writeFileAtomic } from '../../pipeline/output.ts';
import type { StateDb } from '../../state/index.ts';
import {
  addSubscriber,
  eraseSubscriber,
  findSubscriberByEmail,
  importSubscriber,
  liftSuppression,
  listSubscribers,
  setSubscriberStatus,
  suppressionOf,
} from '../../state/index.ts';
import { SUBSCRIBER_STATUSES, type SubscriberStatus } from '../../types.ts';
import { type Context, createContext, ExitCode, type GlobalOptions, printDiagnostics } from '../context.ts';
import { count } from '../plural.ts';

const STATUSES: readonly SubscriberStatus[] = SUBSCRIBER_STATUSES;

export function registerSubscribers(program: Command): void {
  const group = program
    .command('subscribers')
    .description('manage the newsletter mailing list (kept in the state store)')
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet subscribers add ann@example.com --name "Ann Lee" --topics "transit,climate"\n' +
        '  broadsheet subscribers import readers.csv     # columns: email[,name][,topics][,status]\n' +
        '  broadsheet subscribers list --status active --json\n' +
        '  broadsheet subscribers export > list.csv',
    );

  group
    .command('add <email>')
    .description('add one address (an address already on the list is left as it is)')
    .option('--name <name>', 'display name')
    .option('--topics <slugs>', 'only these topics, comma-separated: "transit,climate" (default: everything)')
    .option(
      '--reactivate',
      "make an unsubscribed or bounced address active again (only at its owner's request)",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet subscribers add ann@example.com\n' +
        '  broadsheet subscribers add bo@example.com --name "Bo Park" --topics "transit,climate"\n' +
        '  broadsheet subscribers add ann@example.com --reactivate',
    )
    .action(
      (email: string, options: { name?: string; topics?: string; reactivate?: boolean }, command: Command) =>
        withState(command, (ctx, db) => {
          const address = normalizeEmail(email);
          if ('error' in address) return fail(ExitCode.usage, address.error);
          const topics = parseTopics(options.topics ?? '', knownTopics(ctx.loaded.config));
          if ('error' in topics) return fail(ExitCode.usage, topics.error);
          const blocked = suppressionBlocks(db, address.email, Boolean(options.reactivate));
          if (blocked) return fail(ExitCode.inputErrors, blocked);
          const result = addSubscriber(
            db,
            {
              email: address.email,
              name: cleanSubscriberName(options.name ?? '') || null,
              topics: topics.topics,
            },
            iso(ctx),
          );
          if (!result.added) {
            if (options.reactivate && result.existing.status !== 'active') {
              setSubscriberStatus(db, result.existing.id, 'active', iso(ctx));
              ctx.log(`reactivated ${result.existing.email} (was ${result.existing.status})`);
              return ExitCode.ok;
            }
            const hint = result.existing.status === 'active' ? '' : ' (--reactivate to make it active again)';
            ctx.log(
              `${result.existing.email} is already on the list (${result.existing.status}); nothing changed${hint}`,
            );
            return ExitCode.ok;
          }
          ctx.log(`added ${result.subscriber.email} (#${result.subscriber.id})`);
          return ExitCode.ok;
        }),
    );

  group
    .command('remove <email>')
    .description('unsubscribe an address (kept as "unsubscribed" so an import never re-adds it)')
    .option('--purge', 'erase the address and its delivery records entirely (e.g. a data erasure request)')
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet subscribers remove ann@example.com\n  broadsheet subscribers remove ann@example.com --purge',
    )
    .action((email: string, options: { purge?: boolean }, command: Command) =>
      withState(command, (ctx, db) => {
        const subscriber = findSubscriberByEmail(db, email.trim());
        if (!subscriber) return fail(ExitCode.inputErrors, `${email.trim()} is not on the list`);
        if (options.purge) {
          eraseSubscriber(db, subscriber, iso(ctx));
          ctx.log(`erased ${subscriber.email} and its delivery records`);
        } else {
          setSubscriberStatus(db, subscriber.id, 'unsubscribed', iso(ctx));
          ctx.log(`unsubscribed ${subscriber.email}`);
        }
        return ExitCode.ok;
      }),
    );

  group
    .command('import <csv>')
    .description(
      'add every valid row of a CSV (header: email[,name][,topics][,status]); bad rows are reported, not fatal',
    )
    .addHelpText(
      'after',
      "\nExamples:\n  printf 'email,name,topics\\nann@example.com,Ann Lee,transit;climate\\n' > readers.csv\n" +
        '  broadsheet subscribers import readers.csv',
    )
    .action((file: string, _options: unknown, command: Command) =>
      withState(command, (ctx, db) => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (error) {
          return fail(ExitCode.usage, `cannot read ${file}: ${(error as Error).message}`);
        }
        const shown = relative(process.cwd(), file) || file;
        const parsed = parseSubscribersCsv(text, shown, knownTopics(ctx.loaded.config));
        const diagnostics = [...parsed.diagnostics];
        const counts = { added: 0, applied: 0, suppressed: 0 };
        // One transaction: a 10,000-row import is one fsync, and a crash imports all or nothing.
        db.transaction(() => {
          for (const row of parsed.rows) {
            const blocked = suppressionBlocks(db, row.email, false);
            if (blocked) {
              counts.suppressed++;
              diagnostics.push({
                severity: 'warning',
                code: 'subscribers/suppressed',
                message: blocked,
                file: shown,
                line: row.line,
              });
              continue;
            }
            const result = importSubscriber(db, row, iso(ctx));
            if (result.kind === 'added') counts.added++;
            else if (result.kind === 'status-applied') {
              counts.applied++;
              diagnostics.push({
                severity: 'warning',
                code: 'subscribers/status-applied',
                message: `${row.email} was active; now ${row.status} as the file says`,
                file: shown,
                line: row.line,
              });
            } else
              diagnostics.push({
                severity: 'warning',
                code: 'subscribers/exists',
                message: `${row.email} is already on the list (${result.existing.status}); left unchanged`,
                file: shown,
                line: row.line,
              });
          }
        })();
        diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
        printDiagnostics(diagnostics);
        // Each bad row has exactly one diagnostic from the parse, so rows read = kept + diagnosed.
        const errors = parsed.diagnostics.filter((d) => d.severity === 'error').length;
        const duplicates = parsed.diagnostics.length - errors;
        const total = parsed.rows.length + parsed.diagnostics.length;
        const already = parsed.rows.length - counts.added - counts.applied - counts.suppressed;
        const applied = counts.applied > 0 ? `${counts.applied} set unsubscribed or bounced, ` : '';
        const suppressed =
          counts.suppressed > 0 ? `${counts.suppressed} suppressed (bounced, complained or erased), ` : '';
        ctx.log(
          `imported ${counts.added} of ${count(total, 'row')}: ${already} already on the list, ${applied}${suppressed}` +
            `${count(duplicates, 'duplicate')} in the file, ${errors} invalid`,
        );
        return errors > 0 ? ExitCode.inputErrors : ExitCode.ok;
      }),
    );

  group
    .command('export [file]')
    .description('write the list as CSV (to stdout, or atomically to a file)')
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet subscribers export list.csv\n  broadsheet subscribers export > list.csv',
    )
    .action((file: string | undefined, _options: unknown, command: Command) =>
      withState(command, (ctx, db) => {
        const csv = subscribersToCsv(listSubscribers(db));
        if (file) {
          writeFileAtomic(file, csv);
          ctx.log(`wrote ${file}`);
        } else process.stdout.write(csv);
        return ExitCode.ok;
      }),
    );

  group
    .command('list')
    .description('show the list')
    .option('--json', 'machine-readable output')
    .option('--status <status>', 'only active | unsubscribed | bounced')
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet subscribers list\n  broadsheet subscribers list --status active --json',
    )
    .action((options: { json?: boolean; status?: string }, command: Command) =>
      withState(command, (ctx, db) => {
        if (options.status && !STATUSES.includes(options.status as SubscriberStatus))
          return fail(ExitCode.usage, `--status must be one of ${STATUSES.join(', ')}`);
        const subscribers = listSubscribers(db, options.status as SubscriberStatus | undefined);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(subscribers, null, 2)}\n`);
          return ExitCode.ok;
        }
        for (const s of subscribers) {
          const topics = s.topics.length > 0 ? s.topics.join(';') : 'all topics';
          // Cleaned again on the way out: a name stored before names were cleaned on the way in.
          process.stdout.write(`${s.email}\t${cleanSubscriberName(s.name ?? '')}\t${s.status}\t${topics}\n`);
        }
        const counts = STATUSES.map(
          (status) => `${subscribers.filter((s) => s.status === status).length} ${status}`,
        );
        ctx.log(`${count(subscribers.length, 'subscriber')} (${counts.join(', ')})`);
        return ExitCode.ok;
      }),
    );
}

/** Topic slugs as the feeds name them (`topics/<slug>/`), the vocabulary preferences use. */
export function knownTopics(config: Config): string[] {
  return config.feeds.topics.map((topic) => topic.slug ?? slugify(topic.name));
}

function withState(command: Command, run: (ctx: Context, db: StateDb) => number): void {
  const ctx = createContext(command.optsWithGlobals<GlobalOptions>());
  const db = ctx.openState();
  try {
    process.exitCode = run(ctx, db);
  } finally {
    db.close();
  }
}

function fail(code: number, message: string): number {
  process.stderr.write(`broadsheet subscribers: ${message}\n`);
  return code;
}

/**
 * Why an address may not be added, or null. Hard-bounced and complained addresses come back
 * only by `add --reactivate` (the person asked), which lifts the suppression; erased never.
 */
function suppressionBlocks(db: StateDb, email: string, reactivate: boolean): string | null {
  const reason = suppressionOf(db, email);
  if (reason === null) return null;
  if (reason === 'erased') return `${email} was erased at its owner's request and cannot be added again`;
  if (reactivate) {
    liftSuppression(db, email);
    return null;
  }
  return `${email} is suppressed (${reason}): --reactivate only if its owner asked to come back`;
}

function iso(ctx: Context): string {
  return ctx.now.toISO() ?? new Date(0).toISOString();
}
