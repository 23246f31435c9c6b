import type { Command } from 'commander';

export function registerSubscribers(program: Command): void {
  program
    .command('subscribers')
    .description('(not yet implemented)')
    .action(() => {
      process.stderr.write('broadsheet subscribers: not yet implemented\n');
      process.exitCode = 2;
    });
}
