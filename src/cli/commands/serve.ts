import type { Command } from 'commander';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('(not yet implemented)')
    .action(() => {
      process.stderr.write('broadsheet serve: not yet implemented\n');
      process.exitCode = 2;
    });
}
