import { open } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config/index.ts';
import {
  cleanSubscriberName,
  normalizeEmail,
  parseTopics,
  type SubscriberRow,
  subscriberCsvReader,
  subscribersToCsv,
} from '../../deliver/index.ts';
import { slugify } from '../../normalize/text.ts';
import { writeFileAtomic } from '../../pipeline/output.ts';
import type { DeliveryStore } from '../../state/store/index.ts';
import { type Diagnostic, SUBSCRIBER_STATUSES, type Subscriber, type SubscriberStatus } from '../../types.ts';
import { type Context, createContext, ExitCode, type GlobalOptions, printDiagnostics } from '../context.ts';
import { openStore } from '../open-store.ts';
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
        withState(command, async (ctx, store) => {
          const address = normalizeEmail(email);
          if ('error' in address) return fail(ExitCode.usage, address.error);
          const topics = parseTopics(options.topics ?? '', knownTopics(ctx.loaded.config));
          if ('error' in topics) return fail(ExitCode.usage, topics.error);
          const blocked = await suppressionBlocks(store, address.email, Boolean(options.reactivate));
          if (blocked) return fail(ExitCode.inputErrors, blocked);
          const result = await store.addSubscriber(
            {
              email: address.email,
              name: cleanSubscriberName(options.name ?? '') || null,
              topics: topics.topics,
            },
            iso(ctx),
          );
          if (!result.added) {
            if (options.reactivate && result.existing.status !== 'active') {
              await store.setSubscriberStatus(result.existing.id, 'active', iso(ctx));
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
      withState(command, async (ctx, store) => {
        const subscriber = await store.findSubscriberByEmail(email.trim());
        if (!subscriber) return fail(ExitCode.inputErrors, `${email.trim()} is not on the list`);
        if (options.purge) {
          await store.eraseSubscriber(subscriber, iso(ctx));
          ctx.log(`erased ${subscriber.email} and its delivery records`);
        } else {
          await store.setSubscriberStatus(subscriber.id, 'unsubscribed', iso(ctx));
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
      withState(command, (ctx, store) => importCsv(ctx, store, file)),
    );

  group
    .command('export [file]')
    .description('write the list as CSV (to stdout, or atomically to a file)')
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet subscribers export list.csv\n  broadsheet subscribers export > list.csv',
    )
    .action((file: string | undefined, _options: unknown, command: Command) =>
      withState(command, async (ctx, store) => {
        const chunks: string[] = [];
        let header = true;
        for await (const page of pages(store)) {
          const csv = subscribersToCsv(page, { header });
          header = false;
          // To stdout page by page; a file is written whole, atomically.
          if (file) chunks.push(csv);
          else process.stdout.write(csv);
        }
        if (header) {
          const empty = subscribersToCsv([]);
          if (file) chunks.push(empty);
          else process.stdout.write(empty);
        }
        if (file) {
          writeFileAtomic(file, chunks.join(''));
          ctx.log(`wrote ${file}`);
        }
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
      withState(command, async (ctx, store) => {
        if (options.status && !STATUSES.includes(options.status as SubscriberStatus))
          return fail(ExitCode.usage, `--status must be one of ${STATUSES.join(', ')}`);
        const status = options.status as SubscriberStatus | undefined;
        const perStatus = new Map<SubscriberStatus, number>();
        let total = 0;
        // Page by page, so a list of a million is never held whole; the JSON is the same bytes
        // `JSON.stringify(list, null, 2)` would give.
        for await (const page of pages(store, status))
          for (const s of page) {
            if (options.json) {
              const item = JSON.stringify(s, null, 2).replace(/^/gm, '  ');
              process.stdout.write(`${total === 0 ? '[\n' : ',\n'}${item}`);
            } else {
              const topics = s.topics.length > 0 ? s.topics.join(';') : 'all topics';
              // Cleaned again on the way out: a name stored before names were cleaned on the way in.
              process.stdout.write(
                `${s.email}\t${cleanSubscriberName(s.name ?? '')}\t${s.status}\t${topics}\n`,
              );
            }
            total++;
            perStatus.set(s.status, (perStatus.get(s.status) ?? 0) + 1);
          }
        if (options.json) {
          process.stdout.write(total === 0 ? '[]\n' : '\n]\n');
          return ExitCode.ok;
        }
        const counts = STATUSES.map((s) => `${perStatus.get(s) ?? 0} ${s}`);
        ctx.log(`${count(total, 'subscriber')} (${counts.join(', ')})`);
        return ExitCode.ok;
      }),
    );
}

/** Topic slugs as the feeds name them (`topics/<slug>/`), the vocabulary preferences use. */
export function knownTopics(config: Config): string[] {
  return config.feeds.topics.map((topic) => topic.slug ?? slugify(topic.name));
}

async function withState(
  command: Command,
  run: (ctx: Context, store: DeliveryStore) => Promise<number>,
): Promise<void> {
  const ctx = createContext(command.optsWithGlobals<GlobalOptions>());
  const store = await openStore(ctx);
  try {
    process.exitCode = await run(ctx, store);
  } finally {
    await store.close();
  }
}

/** The list in pages of `PAGE` (id order), all or one status. */
async function* pages(store: DeliveryStore, status?: SubscriberStatus): AsyncGenerator<Subscriber[]> {
  let after = 0;
  for (;;) {
    const page = await store.subscribersAfter(after, PAGE, status);
    if (page.length === 0) return;
    yield page;
    after = (page[page.length - 1] as Subscriber).id;
  }
}

const PAGE = 1000;
/** Rows per import transaction: memory holds one batch, whatever the file's size. */
const IMPORT_BATCH = 5000;

/**
 * `subscribers import`: the file is read line by line and imported in batches (one transaction
 * each), and diagnostics are printed per batch in line order, so memory stays flat for a list of
 * millions. A crash keeps the batches already committed; importing the file again finishes it
 * (rows already there are reported, not doubled).
 *
 * Duplicates in the file: within a batch the reader names the first line; an address added by
 * an earlier batch of this run is recognised by its id (added in this run) and reported too.
 */
async function importCsv(ctx: Context, store: DeliveryStore, file: string): Promise<number> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file);
  } catch (error) {
    return fail(ExitCode.usage, `cannot read ${file}: ${(error as Error).message}`);
  }
  const shown = relative(process.cwd(), file) || file;
  const reader = subscriberCsvReader(shown, knownTopics(ctx.loaded.config));
  const counts = { rows: 0, added: 0, applied: 0, suppressed: 0, duplicates: 0, errors: 0, warnings: 0 };
  let batch: SubscriberRow[] = [];
  let waiting: Diagnostic[] = [];
  let firstAddedId = Number.POSITIVE_INFINITY;
  const note = (row: SubscriberRow, code: Diagnostic['code'], message: string) =>
    waiting.push({ severity: 'warning', code, message, file: shown, line: row.line });
  const take = (read: { rows: SubscriberRow[]; diagnostics: Diagnostic[] }) => {
    batch.push(...read.rows);
    for (const d of read.diagnostics) {
      if (d.severity === 'error') counts.errors++;
      else counts.warnings++;
      waiting.push(d);
    }
  };
  const flush = async () => {
    const rows = batch;
    batch = [];
    const outcomes = rows.length > 0 ? await store.importSubscriberRows(rows, iso(ctx)) : [];
    outcomes.forEach((outcome, i) => {
      const row = rows[i] as SubscriberRow;
      counts.rows++;
      if (outcome.kind === 'suppressed') {
        counts.suppressed++;
        note(row, 'subscribers/suppressed', suppressedMessage(row.email, outcome.reason));
      } else if (outcome.kind === 'added') {
        counts.added++;
        firstAddedId = Math.min(firstAddedId, outcome.subscriber.id);
      } else if (outcome.kind === 'status-applied') {
        counts.applied++;
        note(
          row,
          'subscribers/status-applied',
          `${row.email} was active; now ${row.status} as the file says`,
        );
      } else if (outcome.existing.id >= firstAddedId) {
        counts.duplicates++;
        note(row, 'subscribers/duplicate', `duplicate of an earlier line (${row.email}); kept the first`);
      } else
        note(
          row,
          'subscribers/exists',
          `${row.email} is already on the list (${outcome.existing.status}); left unchanged`,
        );
    });
    waiting.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    printDiagnostics(waiting);
    waiting = [];
    reader.forgetSeen();
  };
  try {
    let lineNumber = 0;
    for await (const line of handle.readLines({ encoding: 'utf8' })) {
      take(reader.push(line, ++lineNumber));
      if (batch.length >= IMPORT_BATCH) await flush();
    }
    take(reader.end());
    await flush();
  } catch (error) {
    printDiagnostics(waiting);
    return fail(ExitCode.usage, `cannot read ${file}: ${(error as Error).message}`);
  } finally {
    await handle.close().catch(() => {});
  }
  // Each bad row has exactly one diagnostic from the reader, so rows read = kept + diagnosed.
  const duplicates = counts.warnings + counts.duplicates;
  const total = counts.rows + counts.errors + counts.warnings;
  const already = counts.rows - counts.added - counts.applied - counts.suppressed - counts.duplicates;
  const applied = counts.applied > 0 ? `${counts.applied} set unsubscribed or bounced, ` : '';
  const suppressed =
    counts.suppressed > 0 ? `${counts.suppressed} suppressed (bounced, complained or erased), ` : '';
  ctx.log(
    `imported ${counts.added} of ${count(total, 'row')}: ${already} already on the list, ${applied}${suppressed}` +
      `${count(duplicates, 'duplicate')} in the file, ${counts.errors} invalid`,
  );
  return counts.errors > 0 ? ExitCode.inputErrors : ExitCode.ok;
}

function fail(code: number, message: string): number {
  process.stderr.write(`broadsheet subscribers: ${message}\n`);
  return code;
}

/**
 * Why an address may not be added, or null. Hard-bounced and complained addresses come back
 * only by `add --reactivate` (the person asked), which lifts the suppression; erased never.
 */
async function suppressionBlocks(
  store: DeliveryStore,
  email: string,
  reactivate: boolean,
): Promise<string | null> {
  const reason = await store.suppressionOf(email);
  if (reason === null) return null;
  if (reason !== 'erased' && reactivate) {
    await store.liftSuppression(email);
    return null;
  }
  return suppressedMessage(email, reason);
}

function suppressedMessage(email: string, reason: string): string {
  if (reason === 'erased') return `${email} was erased at its owner's request and cannot be added again`;
  return `${email} is suppressed (${reason}): --reactivate only if its owner asked to come back`;
}

function iso(ctx: Context): string {
  return ctx.now.toISO() ?? new Date(0).toISOString();
}
