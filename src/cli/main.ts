import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.ts';
import { registerBuild } from './commands/build.ts';
import { registerInit } from './commands/init.ts';
import { registerInspect } from './commands/inspect.ts';
import { registerSend } from './commands/send.ts';
import { registerServe } from './commands/serve.ts';
import { registerSubscribers } from './commands/subscribers.ts';
import { describeFailure, ExitCode, printDiagnostics } from './context.ts';

/** Shown under every `--help`: the contract scripts, cron jobs and CI rely on. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  the input needs attention (bad article files, rejected subscriber rows, failed deliveries);
     everything else was still done
  2  usage or configuration error; nothing was done
  3  failure outside the input (SMTP unreachable, disk full, a bug)`;

const ENVIRONMENT_HELP = `
Environment:
  SMTP_URL                       smtp(s)://user:pass@host:port; unset writes .eml files to the outbox
  BROADSHEET_UNSUBSCRIBE_SECRET  key that signs unsubscribe links (required to send over SMTP)
  DKIM_DOMAIN, DKIM_SELECTOR,    sign outgoing mail with DKIM (all three or none)
  DKIM_PRIVATE_KEY
  SOURCE_DATE_EPOCH              fixed "now" (whole seconds) for reproducible builds
  Secrets can also be read from a file: SMTP_URL_FILE, BROADSHEET_UNSUBSCRIBE_SECRET_FILE, ...`;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function createProgram(): Command {
  const program = new Command('broadsheet')
    .description('Turn news articles into RSS, Atom and JSON feeds and an email newsletter.')
    .version(packageVersion(), '-V, --version')
    .option('-c, --config <file>', 'config file (default: ./broadsheet.config.json, else built-in defaults)')
    .option('-q, --quiet', 'print nothing but errors and requested data')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  broadsheet init ledger && cd ledger
  broadsheet build && broadsheet send
  broadsheet serve --port 3000
  broadsheet <command> --help
${EXIT_CODES_HELP}
${ENVIRONMENT_HELP}`,
    );
  registerBuild(program);
  registerInspect(program);
  registerSend(program);
  registerSubscribers(program);
  registerServe(program);
  registerInit(program);
  // Every command's help ends with the exit codes, so `broadsheet send --help` is enough for a cron job.
  for (const command of program.commands) command.addHelpText('afterAll', EXIT_CODES_HELP);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // `broadsheet inspect --json | head` closes our stdout early: that is the reader's choice, not
  // a crash. Stop quietly, as Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(ExitCode.ok);
    throw error;
  });
  try {
    await createProgram().parseAsync(argv);
    return process.exitCode === undefined ? ExitCode.ok : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (error instanceof ConfigError) {
      printDiagnostics(error.diagnostics);
      return ExitCode.usage;
    }
    process.stderr.write(`broadsheet: ${describeFailure(error)}\n`);
    return ExitCode.failure;
  }
}
