import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_PAGE, cliHelpMarkdown, commandPaths, subcommandsIn, withGeneratedBlock } from './cli-help.ts';

// docs/cli.md against the commands themselves: the `--help` of every command and subcommand
// (run through bin.js), and the table of commands at the top of the page.
let paths: Awaited<ReturnType<typeof commandPaths>>;
const page = readFileSync(CLI_PAGE, 'utf8');

beforeAll(async () => {
  paths = await commandPaths();
}, 300_000);

describe('docs/cli.md', () => {
  it("shows every command's real --help (run `npm run docs` after changing one)", () => {
    expect(paths.map(({ words }) => words.join(' '))).toEqual(
      expect.arrayContaining(['', 'build', 'send', 'subscribers add', 'bounces import', 'init']),
    );
    expect(withGeneratedBlock(page, cliHelpMarkdown(paths))).toBe(page);
  });

  it('has a row in its table of commands for every command, and none for a command that does not exist', () => {
    const root = paths.find(({ words }) => words.length === 0)?.help ?? '';
    const commands = subcommandsIn(root);
    const rows = [...page.matchAll(/^\| `broadsheet ([a-z][\w-]*)/gm)].map((m) => m[1]);
    expect(commands.length).toBeGreaterThan(5);
    for (const command of commands) expect(rows, `a row for "broadsheet ${command}"`).toContain(command);
    for (const row of rows) expect(commands, `"broadsheet ${row}" in the table`).toContain(row);
  });
});
