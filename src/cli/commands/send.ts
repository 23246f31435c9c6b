import type { Command } from 'commander';

export function registerSend(program: Command): void {
  program
    .command('send')
    .description('(not yet implemented)')
    .action(() => {
      process.stderr.write('broadsheet send: not yet implemented\n');
      process.exitCode = 2;
    });
}
