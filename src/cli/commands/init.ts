import type { Command } from 'commander';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('(not yet implemented)')
    .action(() => {
      process.stderr.write('broadsheet init: not yet implemented\n');
      process.exitCode = 2;
    });
}
