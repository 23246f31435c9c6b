import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  type Action,
  applyVerdict,
  classifyReport,
  readMailbox,
  reportKeyOf,
} from '../../deliver/bounces/index.ts';
import type { DeliveryStore } from '../../state/store/index.ts';
import { type Context, createContext, ExitCode, type GlobalOptions } from '../context.ts';
import { openStore } from '../open-store.ts';
import { count } from '../plural.ts';

export function registerBounces(program: Command): void {
  const group = program
    .command('bounces')
    .description('read bounce and complaint reports back into the list')
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet bounces import ~/Mail/bounces.mbox\n  broadsheet bounces import ~/Maildir/.Bounces',
    );
  group
    .command('import <mailbox>')
    .description(
      'read an mbox file, a Maildir or .eml files: hard bounce -> bounced, N soft in a row -> bounced, complaint -> unsubscribed',
    )
    .option('-v, --verbose', 'one line per message: what it was and what it did')
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet bounces import ~/Mail/bounces.mbox\n  broadsheet bounces import ~/Maildir/.Bounces --verbose',
    )
    .action(async (mailbox: string, options: { verbose?: boolean }, command: Command) => {
      const ctx = createContext(command.optsWithGlobals<GlobalOptions>());
      if (!existsSync(mailbox)) {
        process.exitCode = fail(ExitCode.usage, `${mailbox}: no such file or folder`);
        return;
      }
      const store = await openStore(ctx);
      try {
        process.exitCode = await importBounces(ctx, store, mailbox, Boolean(options.verbose));
      } finally {
        await store.close();
      }
    });
}

async function importBounces(
  ctx: Context,
  store: DeliveryStore,
  mailbox: string,
  verbose: boolean,
): Promise<number> {
  // The secret the links were signed with: the environment's, else the one a send kept in the state.
  const secret = ctx.env.unsubscribeSecret ?? (await store.readSecret());
  if (!secret)
    return fail(ExitCode.usage, 'no signing secret yet (nothing was sent): nothing to trace reports to');
  const { config } = ctx.loaded;
  const kinds = { hard: 0, soft: 0, complaint: 0, 'not-bounce': 0 };
  const actions: Record<Action, number> = {
    bounced: 0,
    unsubscribed: 0,
    counted: 0,
    ignored: 0,
    untraced: 0,
    duplicate: 0,
  };
  let unreadable = 0;
  let total = 0;
  for await (const message of readMailbox(mailbox)) {
    total++;
    try {
      const verdict = await classifyReport(message.raw);
      const applied = await applyVerdict(
        {
          store,
          secret,
          softBounceLimit: config.delivery.softBounceLimit,
          source: 'mailbox',
          now: ctx.now.toUTC().toISO() ?? '',
        },
        verdict,
        message.raw.toString('latin1'),
        reportKeyOf(message.raw),
      );
      kinds[verdict.kind]++;
      actions[applied.action]++;
      if (verbose || applied.action === 'bounced' || applied.action === 'unsubscribed')
        ctx.log(
          `${message.origin}: ${verdict.kind} (${verdict.reason}) -> ${applied.action}` +
            (applied.email ? ` ${applied.email}` : '') +
            (applied.editionId ? ` [edition ${applied.editionId}]` : ''),
        );
    } catch (error) {
      // One broken message must not stop the rest of the mailbox.
      unreadable++;
      process.stderr.write(
        `broadsheet bounces: ${message.origin}: cannot read: ${(error as Error).message}\n`,
      );
    }
  }
  ctx.log(
    `read ${count(total, 'message')}: ${count(kinds.hard, 'hard bounce')}, ${kinds.soft} soft, ${count(kinds.complaint, 'complaint')}, ` +
      `${kinds['not-bounce']} not ${kinds['not-bounce'] === 1 ? 'a bounce' : 'bounces'}${unreadable ? `, ${unreadable} unreadable` : ''}\n` +
      `  bounced ${actions.bounced}, unsubscribed ${actions.unsubscribed}, soft counted ${actions.counted}, ` +
      `untraced ${actions.untraced} (no valid token: nobody touched), already imported ${actions.duplicate}, ` +
      `no action ${actions.ignored}`,
  );
  return unreadable > 0 ? ExitCode.inputErrors : ExitCode.ok;
}

function fail(code: number, message: string): number {
  process.stderr.write(`broadsheet bounces: ${message}\n`);
  return code;
}
