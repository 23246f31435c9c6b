import type { Command } from 'commander';

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('(not yet implemented)')
    .action(() => {
      process.stderr.write('broadsheet inspect: not yet implemented\n');
      process.exitCode = 2;
    });
}
