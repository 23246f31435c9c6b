import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help } from 'commander';
import type { ExitCode } from './context.ts';

// Start-up time: every command module pulls in most of the pipeline (zod, SQLite, the
// renderers), ~0.1 s of imports. So `broadsheet --help` and each command load only what they
// run: the root program lists every command from COMMANDS below, and a command's module is
// imported when that command is dispatched (or its help is shown). Nothing here may import a
// command module or ./context.ts (which loads the config schema) at the top level.

/** ExitCode.ok and ExitCode.usage from ./context.ts (the compiler checks they agree). */
const OK: (typeof ExitCode)['ok'] = 0;
const USAGE: (typeof ExitCode)['usage'] = 2;

type Register = (program: Command) => void;

interface CommandEntry {
  name: string;
  /** How the root help lists it, as commander would for the registered command. */
  term: string;
  description: string;
  load: () => Promise<Register>;
}

/**
 * The commands, in the order `--help` lists them. `term` and `description` repeat what each
 * register function declares (tests/cli/startup-lazy.test.ts fails when they drift apart).
 */
const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'build',
    term: 'build [options]',
    description: 'build articles/ into feeds, pages and the newsletter edition in out/',
    load: async () => (await import('./commands/build.ts')).registerBuild,
  },
  {
    name: 'inspect',
    term: 'inspect [options] [paths...]',
    description: 'read articles and show what Broadsheet understood: fields, merges, problems',
    load: async () => (await import('./commands/inspect.ts')).registerInspect,
  },
  {
    name: 'send',
    term: 'send [options]',
    description: 'send a newsletter edition to every active subscriber (SMTP_URL), or write it to the outbox',
    load: async () => (await import('./commands/send.ts')).registerSend,
  },
  {
    name: 'publish',
    term: 'publish',
    description: 'tell the WebSub hub (site.hub) which feeds in out/ changed since the last ping',
    load: async () => (await import('./commands/publish.ts')).registerPublish,
  },
  {
    name: 'editions',
    term: 'editions',
    description: 'list, show, rebuild or discard newsletter editions (an unsent one can be corrected)',
    load: async () => (await import('./commands/editions.ts')).registerEditions,
  },
  {
    name: 'subscribers',
    term: 'subscribers',
    description: 'manage the newsletter mailing list (kept in the state store)',
    load: async () => (await import('./commands/subscribers.ts')).registerSubscribers,
  },
  {
    name: 'bounces',
    term: 'bounces',
    description: 'read bounce and complaint reports back into the list',
    load: async () => (await import('./commands/bounces.ts')).registerBounces,
  },
  {
    name: 'report',
    term: 'report [options] [edition]',
    description: 'sent, bounced, complained and unsubscribed for an edition, with rates and warnings',
    load: async () => (await import('./commands/report.ts')).registerReport,
  },
  {
    name: 'state',
    term: 'state',
    description: 'move the state store (SQLite) to PostgreSQL',
    load: async () => (await import('./commands/state.ts')).registerState,
  },
  {
    name: 'serve',
    term: 'serve [options]',
    description: 'build, then serve out/ on localhost, rebuilding and reloading the page on every change',
    load: async () => (await import('./commands/serve.ts')).registerServe,
  },
  {
    name: 'init',
    term: 'init [options] [dir]',
    description: 'scaffold a new publication folder: config, templates, an example article',
    load: async () => (await import('./commands/init.ts')).registerInit,
  },
];

/** Thrown when the parse reaches a command whose module is not loaded yet: load it and parse again. */
class LoadCommand extends Error {
  constructor(readonly entry: CommandEntry) {
    super(`command '${entry.name}' is not loaded`);
  }
}

/**
 * Stands in for a command that is not loaded: enough for the root help and for commander to
 * dispatch to it. Dispatching to it, or asking for its help, throws LoadCommand.
 */
class LazyCommand extends Command {
  constructor(readonly entry: CommandEntry) {
    super(entry.name);
    this.description(entry.description)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new LoadCommand(entry);
      });
  }

  override outputHelp(): void {
    throw new LoadCommand(this.entry);
  }

  override help(): never {
    throw new LoadCommand(this.entry);
  }
}

/** Loads every command's module: the program `createProgram(await loadAllCommands())` is the eager one. */
export async function loadAllCommands(): Promise<Map<string, Register>> {
  return new Map(await Promise.all(COMMANDS.map(async (entry) => [entry.name, await entry.load()] as const)));
}

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

/**
 * The program with the commands in `loaded` registered for real and the others as stand-ins
 * (see LazyCommand); `main` loads the one that runs.
 */
export function createProgram(loaded: ReadonlyMap<string, Register> = new Map()): Command {
  const program = new Command('broadsheet')
    .description('Turn news articles into RSS, Atom and JSON feeds and an email newsletter.')
    .version(packageVersion(), '-V, --version')
    .option('-c, --config <file>', 'config file (default: ./broadsheet.config.json, else built-in defaults)')
    .option('-q, --quiet', 'print nothing but errors and requested data')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureHelp({
      subcommandTerm(cmd) {
        return cmd instanceof LazyCommand ? cmd.entry.term : Help.prototype.subcommandTerm.call(this, cmd);
      },
    })
    .addHelpText(
      'after',
      `
Examples:
  broadsheet init ledger && cd ledger
  broadsheet build && broadsheet send
  broadsheet serve --port 3000
  broadsheet send --help
${EXIT_CODES_HELP}
${ENVIRONMENT_HELP}`,
    );
  for (const entry of COMMANDS) {
    const register = loaded.get(entry.name);
    if (register) register(program);
    else program.addCommand(new LazyCommand(entry));
  }
  // Every command's help ends with the exit codes, so `broadsheet send --help` is enough for a cron job.
  for (const command of program.commands) command.addHelpText('afterAll', EXIT_CODES_HELP);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // `broadsheet inspect --json | head` closes our stdout early: that is the reader's choice, not
  // a crash. Stop quietly, as Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(OK);
    throw error;
  });
  const loaded = new Map<string, Register>();
  for (;;) {
    try {
      await createProgram(loaded).parseAsync(argv);
      return process.exitCode === undefined ? OK : Number(process.exitCode);
    } catch (error) {
      // Nothing has run yet: the parse stopped at the stand-in, before the command's action.
      if (error instanceof LoadCommand && !loaded.has(error.entry.name)) {
        try {
          loaded.set(error.entry.name, await error.entry.load());
        } catch (loadError) {
          return await reportFailure(loadError);
        }
        continue;
      }
      if (error instanceof CommanderError) return error.exitCode === 0 ? OK : USAGE;
      return await reportFailure(error);
    }
  }
}

/** The modules are loaded already when a command threw; otherwise this is the rare path. */
async function reportFailure(error: unknown): Promise<number> {
  const [{ ConfigError }, { describeFailure, ExitCode, printDiagnostics }] = await Promise.all([
    import('../config/load.ts'),
    import('./context.ts'),
  ]);
  if (error instanceof ConfigError) {
    printDiagnostics(error.diagnostics);
    return ExitCode.usage;
  }
  const { NoInputError } = await import('../pipeline/run.ts');
  if (error instanceof NoInputError) {
    printDiagnostics([error.diagnostic]);
    return ExitCode.usage;
  }
  const { SiteTemplateFailure } = await import('../pipeline/theme.ts');
  if (error instanceof SiteTemplateFailure) {
    printDiagnostics(error.diagnostics);
    return ExitCode.inputErrors;
  }
  const { OutputFolderError } = await import('../pipeline/output.ts');
  if (error instanceof OutputFolderError) {
    // The user's to fix, and the message says how: no stack.
    process.stderr.write(`broadsheet: ${error.message}\n`);
    return ExitCode.failure;
  }
  const { LockedError } = await import('../state/lock.ts');
  if (error instanceof LockedError) {
    process.stderr.write(`broadsheet: ${error.message}\n`);
    return ExitCode.usage;
  }
  process.stderr.write(`broadsheet: ${describeFailure(error)}\n`);
  return ExitCode.failure;
}
