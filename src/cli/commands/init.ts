import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { CONFIG_FILE, configJsonSchemaText, parseConfig, readEnv, SCHEMA_FILE } from '../../config/index.ts';
import { ExitCode, type GlobalOptions } from '../context.ts';
import { count } from '../plural.ts';

/** This checkout, whose templates/ a new publication starts from. */
const REPO = resolve(import.meta.dirname, '../../..');

interface InitOptions {
  force?: boolean;
  title?: string;
  /** When init runs: the example story is dated the day before. */
  now: DateTime;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('scaffold a new publication folder: config, templates, an example article')
    .argument('[dir]', 'folder to create or fill', '.')
    .option('--title <title>', 'the publication name', 'My Publication')
    .option('-f, --force', 'overwrite files that already exist')
    .addHelpText(
      'after',
      `
Writes ${CONFIG_FILE} (validated by ${SCHEMA_FILE}, also written, so editors complete
and check keys offline), templates/, articles/example.txt and a .gitignore. Existing files
are never overwritten without --force; nothing is written when any would be.

Examples:
  broadsheet init ledger --title "The Harbor City Ledger"
  cd ledger && broadsheet build && broadsheet serve`,
    )
    .action((dir: string, options: InitOptions, command: Command) => {
      const { quiet } = command.optsWithGlobals<GlobalOptions>();
      // The edge: the example story is dated the day before init runs (SOURCE_DATE_EPOCH when
      // set), so the first `build` makes an edition and the first `send` has something to send.
      const epoch = readEnv(process.env, () => '').sourceDateEpoch;
      const now = epoch === null ? DateTime.now() : DateTime.fromSeconds(epoch, { zone: 'utc' });
      process.exitCode = runInit(
        resolve(dir),
        { ...options, now },
        quiet ? () => {} : (line) => process.stderr.write(`${line}\n`),
      );
    });
}

export interface ScaffoldFile {
  /** Relative to the new publication's folder, POSIX separators. */
  path: string;
  contents: string | Buffer;
  /** A line list (.gitignore) that may already exist: missing lines are added, nothing is replaced. */
  appendLines?: boolean;
}

/** Writes the scaffold into `target`; returns the exit code. */
export function runInit(target: string, options: InitOptions, log: (line: string) => void): number {
  const files = scaffoldFiles(options.title ?? 'My Publication', options.now);
  const existing = files.filter((file) => !file.appendLines && existsSync(join(target, file.path)));
  if (existing.length && !options.force) {
    process.stderr.write(
      `broadsheet init: ${existing.length} file${existing.length > 1 ? 's' : ''} already exist in ${target}; nothing was written (use --force to overwrite):\n` +
        existing.map((file) => `  ${file.path}\n`).join(''),
    );
    return ExitCode.usage;
  }
  for (const file of files) {
    const path = join(target, file.path);
    mkdirSync(dirname(path), { recursive: true });
    if (file.appendLines && existsSync(path)) appendMissingLines(path, String(file.contents));
    else writeFileSync(path, file.contents);
  }
  const shown = relative(process.cwd(), target) || '.';
  log(
    `created ${count(files.length, 'file')} in ${shown}${existing.length ? ` (${existing.length} overwritten)` : ''}`,
  );
  log(
    `next:\n  cd ${shown}\n` +
      '  broadsheet build     # articles/ → out/\n' +
      '  broadsheet serve     # preview with live reload\n' +
      `make these yours in ${CONFIG_FILE} before real mail goes out:\n` +
      '  site.baseUrl                 the public address (links, feeds, the one-click unsubscribe URL: https)\n' +
      '  delivery.from.email          an address on a domain you send from (SPF, DKIM)\n' +
      '  delivery.listId              your List-Id, in every message (derived from the title for now)\n' +
      '  newsletter.postalAddress     your real postal address (CAN-SPAM)\n' +
      'and in the environment: SMTP_URL, BROADSHEET_UNSUBSCRIBE_SECRET (and DKIM_* to sign).',
  );
  return ExitCode.ok;
}

/** Adds the lines of `contents` that `path` lacks (a publisher's own .gitignore stays as it is). */
function appendMissingLines(path: string, contents: string): void {
  const current = readFileSync(path, 'utf8');
  const have = new Set(current.split(/\r?\n/).map((line) => line.trim()));
  const missing = contents.split('\n').filter((line) => line && !line.startsWith('#') && !have.has(line));
  if (missing.length === 0) return;
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  writeFileSync(path, `${current}${separator}${missing.join('\n')}\n`);
}

/** Everything a new publication starts with. Pure apart from reading this repo's templates. */
export function scaffoldFiles(title: string, now: DateTime): ScaffoldFile[] {
  return [
    { path: CONFIG_FILE, contents: starterConfigText(title) },
    { path: SCHEMA_FILE, contents: configJsonSchemaText() },
    {
      path: '.gitignore',
      contents:
        '# Build output (`out` is a link to the live build in .out.builds/), the outbox, and the state\n' +
        '# (item ids, subscribers, delivery ledger): back the state up, but never commit it or the\n' +
        "# outbox: they hold subscribers' addresses.\nout\n.out.builds/\noutbox/\n.broadsheet/\n",
      appendLines: true,
    },
    { path: 'articles/example.txt', contents: exampleArticle(now) },
    ...templateFiles(join(REPO, 'templates')),
  ];
}

/** The starter config: only what a publisher must change; every other key has a documented default. */
export function starterConfigText(title: string): string {
  const config = {
    $schema: `./${SCHEMA_FILE}`,
    site: {
      title,
      description: `News from ${title}.`,
      baseUrl: 'http://localhost:8080/',
      language: 'en',
      timeZone: 'America/New_York',
      author: { name: `${title} Newsroom` },
    },
    feeds: {
      topics: [
        { name: 'City Hall', slug: 'city-hall', tags: ['city hall'], keywords: ['city council', 'mayor'] },
        { name: 'Transit', slug: 'transit', tags: ['transit'], keywords: ['ferry', 'bus', 'subway'] },
        { name: 'Climate', slug: 'climate', tags: ['climate'], keywords: ['storm surge', 'flooding'] },
      ],
    },
    newsletter: { postalAddress: `${title}, 1 Main Street, Springfield, USA` },
    delivery: { from: { name: title, email: 'newsletter@example.com' }, listId: listIdFor(title) },
  };
  // The starter must load: a scaffold that fails validation would be a poor first minute.
  parseConfig(config);
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Whatever templates/ holds at run time (email, site...), copied byte for byte. */
function templateFiles(folder: string): ScaffoldFile[] {
  if (!existsSync(folder)) return [];
  const entries = readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort();
  return entries
    .filter(
      (entry) =>
        statSync(join(folder, entry)).isFile() && !entry.split(sep).some((part) => part.startsWith('.')),
    )
    .map((entry) => ({
      path: `templates/${entry.split(sep).join('/')}`,
      contents: readFileSync(join(folder, entry)),
    }));
}

/**
 * A List-Id of the publication's own (RFC 2919: a label and a namespace), so no two new
 * publications share the sample's; `.invalid` says plainly it is not a real domain yet.
 */
export function listIdFor(title: string): string {
  const label = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${label || 'newsletter'}.newsletter.invalid`;
}

/** The example story, dated the day before `now` at 9:30 in the starter's time zone. */
export function exampleArticle(now: DateTime): string {
  const published = now
    .setZone('America/New_York')
    .minus({ days: 1 })
    .set({ hour: 9, minute: 30, second: 0, millisecond: 0 })
    .setLocale('en-US')
    .toFormat('LLLL d, yyyy h:mm a ZZZZ');
  return EXAMPLE_ARTICLE.replace('{published}', published);
}

/** In the publisher's export format (title, "In This Article", byline, highlights, body, related). */
const EXAMPLE_ARTICLE = `Harbor City Opens Its First Floating Park

In This Article
Dana Ortiz| Published {published}  HIGHLIGHTS
- A floating park of planted pontoons opened at Pier 9 on Thursday.
- The city says the park will absorb storm surge and cool the waterfront in summer.
- Entry is free; the park is open from 7 a.m. to 9 p.m.
Harbor City opened its first floating park on Thursday, a half-acre of planted pontoons moored off Pier 9 that officials say will soften storm surge and give the waterfront some shade.
"This is a park that rises with the water," the parks commissioner told a crowd of about two hundred people at the opening.
The park cost $4.2 million, most of it from a state resilience grant, and took eighteen months to build.
WHAT THIS MIGHT MEAN
If the pontoons survive their first winter, the city plans two more along the east bank by 2028.
Related Articles

Ferry Ridership Climbs for a Third Straight Year

Council Weighs Waterfront Budget
`;
