import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.ts';
import { registerBuild } from './commands/build.ts';
import { registerInit } from './commands/init.ts';
import { registerInspect } from './commands/inspect.ts';
import { registerSend } from './commands/send.ts';
import { registerServe } from './commands/serve.ts';
import { registerSubscribers } from './commands/subscribers.ts';
import { ExitCode, printDiagnostics } from './context.ts';

export function createProgram(): Command {
  const program = new Command('broadsheet')
    .description('Turn news articles into RSS, Atom and JSON feeds and an email newsletter.')
    .option('-c, --config <file>', 'config file (default: ./broadsheet.config.json, else built-in defaults)')
    .option('-q, --quiet', 'print nothing but errors')
    .showHelpAfterError()
    .exitOverride();
  registerBuild(program);
  registerInspect(program);
  registerSend(program);
  registerSubscribers(program);
  registerServe(program);
  registerInit(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
    return process.exitCode === undefined ? ExitCode.ok : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (error instanceof ConfigError) {
      printDiagnostics(error.diagnostics);
      return ExitCode.usage;
    }
    process.stderr.write(`broadsheet: ${(error as Error).stack ?? error}\n`);
    return ExitCode.failure;
  }
}

