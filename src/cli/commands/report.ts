import type { Command } from 'commander';
import type { EditionCounts } from '../../state/index.ts';
import { createContext, ExitCode, type GlobalOptions } from '../context.ts';
import { openStore } from '../open-store.ts';

/**
 * The lines a sender must stay under: Gmail's bulk-sender rules cap user-reported spam at
 * 0.3%; Amazon SES puts an account under review at a 5% bounce rate. Both count per message
 * sent, so the rates here are per message the ledger says was sent.
 */
export const COMPLAINT_LINE = 0.003;
export const BOUNCE_LINE = 0.05;

export interface EditionReport extends EditionCounts {
  edition: string;
  subject: string;
  /** Refused during the SMTP conversation (never sent): counted apart from bounce reports. */
  refusedAtSend: number;
  rates: { bounce: number; complaint: number; unsubscribe: number };
  warnings: string[];
}

export function registerReport(program: Command): void {
  program
    .command('report [edition]')
    .description('sent, bounced, complained and unsubscribed for an edition, with rates and warnings')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      '\nCounts come from the send ledger and from `broadsheet bounces import` (and the SES webhook).\n' +
        'Broadsheet has no tracking pixels and no click redirects, so there are no open or click rates.\n\n' +
        'Examples:\n  broadsheet report\n  broadsheet report latest --json',
    )
    .action(async (editionId: string | undefined, options: { json?: boolean }, command: Command) => {
      const ctx = createContext(command.optsWithGlobals<GlobalOptions>());
      // PostgreSQL with BROADSHEET_DATABASE_URL (where the senders and the bounce import write).
      const store = await openStore(ctx);
      try {
        const edition = (await store.getStoredEdition(editionId ?? 'latest'))?.edition;
        if (!edition) {
          process.stderr.write(
            `broadsheet report: ${editionId ? `no edition "${editionId}"` : 'no edition yet'} in the state store\n`,
          );
          process.exitCode = ExitCode.usage;
          return;
        }
        const report = editionReport(
          edition.id,
          edition.subject,
          await store.editionCounts(edition.id),
          (await store.countDeliveries(edition.id)).failed,
        );
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
        for (const warning of report.warnings) process.stderr.write(`warning: ${warning}\n`);
        process.exitCode = ExitCode.ok;
      } finally {
        await store.close();
      }
    });
}

export function editionReport(
  edition: string,
  subject: string,
  counts: EditionCounts,
  refusedAtSend: number,
): EditionReport {
  const rate = (n: number) => (counts.sent === 0 ? 0 : n / counts.sent);
  const rates = {
    bounce: rate(counts.hard),
    complaint: rate(counts.complaints),
    unsubscribe: rate(counts.unsubscribed),
  };
  const warnings: string[] = [];
  if (rates.complaint > COMPLAINT_LINE)
    warnings.push(
      `complaint rate ${percent(rates.complaint)} is above ${percent(COMPLAINT_LINE)} (Gmail's limit for bulk senders): ` +
        'check how these people signed up, and make unsubscribing easier than complaining',
    );
  if (rates.bounce > BOUNCE_LINE)
    warnings.push(
      `hard bounce rate ${percent(rates.bounce)} is above ${percent(BOUNCE_LINE)} (where Amazon SES reviews an account): ` +
        'the list holds stale or mistyped addresses; confirm addresses (double opt-in) before mailing them',
    );
  return { edition, subject, ...counts, refusedAtSend, rates, warnings };
}

export function formatReport(report: EditionReport): string {
  const row = (label: string, n: number, rate?: number) =>
    `  ${label.padEnd(14)}${String(n).padStart(8)}${rate === undefined ? '' : `  ${percent(rate).padStart(7)}`}\n`;
  return (
    `edition ${report.edition} "${report.subject}"\n` +
    row('sent', report.sent) +
    row('hard bounces', report.hard, report.rates.bounce) +
    row('soft bounces', report.soft, report.sent === 0 ? 0 : report.soft / report.sent) +
    row('complaints', report.complaints, report.rates.complaint) +
    row('unsubscribed', report.unsubscribed, report.rates.unsubscribe) +
    row('refused at send', report.refusedAtSend)
  );
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}
