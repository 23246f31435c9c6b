import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import {
  type Compose,
  chooseRoute,
  describeRoute,
  type EditionRenders,
  normalizeEmail,
  openRoute,
  type PlannedDeliveries,
  planDeliveries,
  type Route,
  readFileIfExists,
  resolveUnsubscribeSecret,
  routeRatePerSecond,
  type SendSummary,
  sendEdition,
  type Transport,
} from '../../deliver/index.ts';
import { type EditionComposerInput, editionComposer } from '../../pipeline/index.ts';
import { readEmailTemplates } from '../../pipeline/newsletter.ts';
import { writeFileAtomic } from '../../pipeline/output.ts';
import type { StateDb } from '../../state/index.ts';
import {
  acquireLock,
  deliveredCount,
  findSubscriberByEmail,
  getEdition,
  listSubscribers,
  storiesChangedSince,
  withoutSuppressed,
} from '../../state/index.ts';
import type { Edition, Subscriber } from '../../types.ts';
import { type Context, createContext, ExitCode, type GlobalOptions, printDiagnostics } from '../context.ts';
import { startProgress } from '../progress.ts';
import { runSharedSend } from './send-shared.ts';

interface SendOptions {
  edition: string;
  dryRun?: boolean;
  testTo?: string;
  resendInDoubt?: boolean;
}

/** First retry of a temporary failure after 1 s, then 2, 4, 8 s: rides out a greylisting or a restart. */
const BACKOFF_MS = 1000;

export function registerSend(program: Command): void {
  program
    .command('send')
    .description('send a newsletter edition to every active subscriber (SMTP_URL), or write it to the outbox')
    .option('--edition <id>', 'edition id, or "latest"', 'latest')
    .option('--dry-run', 'show what would be sent; send nothing, change nothing')
    .option('--test-to <address>', 'send one copy to this address only (the ledger is not touched)')
    .option('--resend-in-doubt', 'also resend messages a previous run left in doubt (may deliver them twice)')
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet send --dry-run\n  broadsheet send --test-to me@example.com\n' +
        '  SMTP_URL=smtp://user:pass@mail.example.com:587 BROADSHEET_UNSUBSCRIBE_SECRET=... broadsheet send\n\n' +
        'Run it again at any time: it sends only what the ledger says was not sent yet.',
    )
    .action(async (options: SendOptions, command: Command) => {
      const ctx = createContext(command.optsWithGlobals<GlobalOptions>());
      // PostgreSQL: one of many senders sharing the edition (no file lock; see send-shared.ts).
      if (ctx.env.databaseUrl) {
        process.exitCode = await runSharedSend(ctx, ctx.env.databaseUrl, options);
        return;
      }
      // Opening the state creates it: a dry run ("change nothing") on a fresh project must not.
      if (options.dryRun && !existsSync(ctx.path(ctx.loaded.config.paths.state))) {
        process.exitCode = fail('no state store yet, so no edition to send: run `broadsheet build` first');
        return;
      }
      // A dry run changes nothing, so it needs no lock; a real send must be the only one: two
      // would each claim and mail the same pending rows' neighbours and race on the ledger.
      const lock = options.dryRun ? null : acquireLock(ctx.lockPath('send'), 'send');
      const db = ctx.openState();
      try {
        process.exitCode = await runSend(ctx, db, options);
      } finally {
        db.close();
        lock?.release();
      }
    });
}

export async function runSend(ctx: Context, db: StateDb, options: SendOptions): Promise<number> {
  const { config } = ctx.loaded;
  if (options.testTo !== undefined) {
    const address = normalizeEmail(options.testTo);
    if ('error' in address) return fail(`--test-to: ${address.error}`);
    options = { ...options, testTo: address.email };
  }
  const edition = getEdition(db, options.edition);
  if (!edition) {
    return fail(
      options.edition === 'latest'
        ? 'no newsletter edition in the state store yet: run `broadsheet build` first'
        : `no edition "${options.edition}" in the state store (see out/newsletter/ for the ids)`,
    );
  }
  warnChangedStories(db, edition);
  const { templates, diagnostics } = readEmailTemplates(ctx.path(config.paths.templates));
  if (diagnostics.some((d) => d.severity === 'error')) {
    printDiagnostics(diagnostics);
    return ExitCode.usage;
  }

  const smtp = ctx.env.smtpUrl;
  const secret = resolveUnsubscribeSecret(db, ctx.env.unsubscribeSecret, {
    requireEnvironment: Boolean(smtp) && !options.dryRun,
    create: !options.dryRun,
  });
  if (secret && 'error' in secret) return fail(secret.error);
  if (secret?.source === 'local-created')
    ctx.log(
      'note: BROADSHEET_UNSUBSCRIBE_SECRET is not set; created a local unsubscribe secret in the state store ' +
        '(fine for the outbox; set the variable before sending real mail)',
    );
  // A dry run on a fresh store has no secret and must not create one: any key will do for counting.
  const signingKey = secret?.secret ?? randomBytes(32).toString('base64url');

  // Belt and braces: a suppressed address is never mailed, whatever its row says.
  const subscribers = withoutSuppressed(db, listSubscribers(db, 'active'));
  const composed = await editionComposer({
    ...composerHost(ctx),
    edition,
    selections: subscribers,
    templates,
    signingKey,
    liveMail: Boolean(smtp) && !options.dryRun,
  });
  if ('error' in composed) return fail(composed.error);
  const { compose, renders } = composed;
  const outboxFolder = join(ctx.path(config.delivery.outbox), edition.id);
  const route = chooseRoute(smtp, {
    folder: outboxFolder,
    shown: relative(process.cwd(), outboxFolder) || outboxFolder,
    configured: `${config.delivery.outbox}/${edition.id}`,
  });

  if (options.dryRun) return dryRun(db, edition, subscribers, renders, Boolean(options.resendInDoubt), route);

  const transport = openRoute(route, {
    maxConnections: config.delivery.maxConnections,
    dkim: ctx.env.dkim,
    write: writeFileAtomic,
    read: readFileIfExists,
  });
  try {
    if (options.testTo)
      return await sendTest(
        ctx,
        findSubscriberByEmail(db, options.testTo),
        options.testTo,
        compose,
        transport,
        edition.id,
      );
    ctx.log(`sending edition ${edition.id} "${edition.subject}" via ${transport.description}`);
    const progress = startProgress('sending', subscribers.length, ctx.quiet);
    const summary = await sendEdition({
      db,
      editionId: edition.id,
      listId: config.delivery.listId,
      subscribers,
      compose: (subscriber) => compose(subscriber),
      transport,
      concurrency: config.delivery.maxConnections,
      ratePerSecond: routeRatePerSecond(route, config.delivery.ratePerSecond),
      retries: config.delivery.retries,
      backoffMs: BACKOFF_MS,
      bounceThreshold: config.delivery.bounceThreshold,
      resendInDoubt: Boolean(options.resendInDoubt),
      now: () => new Date().toISOString(),
      clock: () => performance.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      onProgress: () => progress.tick(),
    });
    progress.stop();
    return reportSummary(ctx, edition.id, summary);
  } finally {
    await transport.close();
  }
}

/**
 * One copy to one address, outside the ledger: for checking how the edition looks in a real inbox.
 * `known` is the subscriber with that address, if any (from whichever store the sender uses).
 */
export async function sendTest(
  ctx: Context,
  known: Subscriber | null,
  address: string,
  compose: Compose,
  transport: Transport,
  editionId: string,
): Promise<number> {
  // A subscriber gets their own (working) unsubscribe link; anyone else a link that is refused.
  const recipient = { id: known?.id ?? 0, email: address, name: known?.name ?? null, topics: [] };
  const id = randomBytes(8).toString('hex');
  const message = compose(recipient, `<${editionId}.test-${id}@${ctx.loaded.config.delivery.listId}>`);
  if (!message) return fail('the edition has no stories');
  try {
    await transport.send({ ...message, fileName: `test-${id}.eml` });
  } catch (error) {
    return fail(`test message to ${address} not sent: ${(error as Error).message}`, ExitCode.failure);
  }
  ctx.log(`sent a test copy of edition ${editionId} to ${address} via ${transport.description}`);
  return ExitCode.ok;
}

/** What `send` would do, read from the ledger: sends nothing, writes nothing. */
function dryRun(
  db: StateDb,
  edition: Edition,
  subscribers: Subscriber[],
  renders: EditionRenders,
  resendInDoubt: boolean,
  route: Route,
): number {
  return printPlan(edition, planDeliveries(db, edition.id, subscribers, renders, resendInDoubt), route);
}

/** The dry run's report, the same whichever store the plan was read from. */
export function printPlan(edition: Edition, counts: PlannedDeliveries, route: Route): number {
  process.stdout.write(
    `dry run: edition ${edition.id} "${edition.subject}" via ${describeRoute(route)}\n` +
      `  would send: ${counts.send}\n  already sent: ${counts.alreadySent}\n` +
      `  skipped (no stories in their topics): ${counts.noStories}\n` +
      `  failed earlier (not retried): ${counts.failed}\n  in doubt (not resent): ${counts.inDoubt}\n`,
  );
  return ExitCode.ok;
}

export function reportSummary(ctx: Context, editionId: string, summary: SendSummary): number {
  const waiting = summary.pending.length + summary.notSent;
  const line =
    `edition ${editionId}: sent ${summary.sent}, already sent ${summary.alreadySent}, skipped ${summary.skipped}, ` +
    `retried ${summary.retried}, failed ${summary.failed.length}, in doubt ${summary.inDoubt.length}` +
    (waiting > 0 ? `, pending ${waiting}` : '');
  const troubled = summary.failed.length > 0 || summary.inDoubt.length > 0 || summary.aborted !== null;
  if (troubled) process.stderr.write(`${line}\n`);
  else ctx.log(line);
  for (const failure of summary.failed)
    process.stderr.write(`  failed: ${failure.email}: ${failure.error}\n`);
  for (const doubt of summary.inDoubt) process.stderr.write(`  in doubt: ${doubt.email}: ${doubt.reason}\n`);
  if (summary.inDoubt.length > 0)
    process.stderr.write(
      '  In-doubt messages may or may not have reached the server and are never resent automatically.\n' +
        '  Check the mail server log for their Message-IDs; to send them anyway: broadsheet send --resend-in-doubt\n',
    );
  if (summary.aborted) {
    process.stderr.write(stoppedReport(summary.aborted, waiting));
    return ExitCode.failure;
  }
  ctx.log(summary.sent > 0 || summary.failed.length > 0 ? 'done' : 'nothing to send');
  return summary.failed.length > 0 || summary.inDoubt.length > 0 ? ExitCode.inputErrors : ExitCode.ok;
}

/**
 * A run that stopped delivered nothing more: its messages are pending, not failed, and the
 * next `send` sends them. A 535 is the commonest first-send mistake, so it names the fix.
 */
function stoppedReport(reason: string, pending: number): string {
  const messages = `${pending} ${pending === 1 ? 'message' : 'messages'}`;
  const hint = /\b535\b|authentication failed/i.test(reason)
    ? '\n  The mail server refused the login: check the user name and password in SMTP_URL (smtp://user:pass@host:port; URL-encode special characters).'
    : /unreachable|cannot connect/i.test(reason)
      ? '\n  Check the host and port in SMTP_URL (smtp://user:pass@host:port) and that the server is running.'
      : '';
  return (
    `broadsheet send: stopped: ${reason}${hint}\n` +
    `  ${messages} pending, not sent and not failed: run \`broadsheet send\` again once this is fixed.\n`
  );
}

/**
 * A story fixed after `build` recorded its edition is still in the edition as it was: say so,
 * and how to send the fixed one (while nobody has the edition yet).
 */
function warnChangedStories(db: StateDb, edition: Edition): void {
  const changed = storiesChangedSince(db, edition);
  if (changed.length === 0) return;
  const { sent, inDoubt } = deliveredCount(db, edition.id);
  for (const item of changed) {
    const source = item.sources[0];
    process.stderr.write(
      `warning: "${item.title}"${source ? ` (${source.file})` : ''} changed after edition ${edition.id} was recorded; ` +
        'this edition has the text as it was\n',
    );
  }
  process.stderr.write(
    sent === 0 && inDoubt === 0
      ? `  to send the changed text: broadsheet editions rebuild ${edition.id}, then broadsheet send\n`
      : `  edition ${edition.id} has gone out to some readers already, so the rest get the same text; corrections go in the next edition\n`,
  );
}

/** What the composer takes from the command's context: the config, the clock, the log. */
export function composerHost(ctx: Context): Pick<EditionComposerInput, 'config' | 'messageDate' | 'warn'> {
  return {
    config: ctx.loaded.config,
    messageDate: () =>
      (ctx.env.sourceDateEpoch !== null ? ctx.now.toUTC().toISO() : new Date().toISOString()) ?? '',
    warn: (message) => ctx.log(message),
  };
}

function fail(message: string, code: number = ExitCode.usage): number {
  process.stderr.write(`broadsheet send: ${message}\n`);
  return code;
}
