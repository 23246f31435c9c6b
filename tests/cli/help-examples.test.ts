import type { Command } from 'commander';
import { CommanderError } from 'commander';
import { DateTime } from 'luxon';
import { type ParseEntry, parse } from 'shell-quote';
import { describe, expect, it } from 'vitest';
import { scaffoldFiles, starterConfigText } from '../../src/cli/commands/init.ts';
import { createProgram, loadAllCommands } from '../../src/cli/main.ts';
import { parseTopics } from '../../src/deliver/index.ts';

const registers = await loadAllCommands();

/** Every command and subcommand, with the examples its `--help` shows. */
function commandsWithExamples(): { path: string; examples: string[] }[] {
  const found: { path: string; examples: string[] }[] = [];
  const walk = (command: Command, path: string[]): void => {
    let help = '';
    command.configureOutput({ writeOut: (text) => (help += text), writeErr: () => {} });
    command.outputHelp();
    const block = /\nExamples:\n((?: {2}.*(?:\n|$))+)/.exec(help)?.[1] ?? '';
    const examples = block
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    found.push({ path: path.join(' '), examples });
    for (const sub of command.commands) walk(sub, [...path, sub.name()]);
  };
  walk(createProgram(registers), ['broadsheet']);
  return found;
}

/** The program with every action replaced by a recorder: parsing runs nothing. */
function parsingProgram(
  ran: { command: string; options: Record<string, unknown>; args: string[] }[],
): Command {
  const program = createProgram(registers);
  const quiet = (command: Command, path: string[]): void => {
    command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    if (command.commands.length === 0 && path.length > 0)
      command.action((...args: unknown[]) => {
        const self = args.at(-1) as Command;
        ran.push({ command: path.join(' '), options: self.opts(), args: self.args });
      });
    for (const sub of command.commands) quiet(sub, [...path, sub.name()]);
  };
  quiet(program, []);
  return program;
}

/** The `broadsheet …` commands of one example line, as argv lists (shell-quote does the quoting). */
function broadsheetCommands(line: string): { argv: string[][]; operators: string[] } {
  const tokens: ParseEntry[] = parse(line, (name) => `$${name}`);
  const argv: string[][] = [];
  const operators: string[] = [];
  let current: string[] = [];
  let redirected = false;
  const flush = () => {
    // Leading VAR=value assignments are the environment of the command that follows.
    const start = current.findIndex((word) => !/^[A-Z_]+=/.test(word));
    if (current[start] === 'broadsheet') argv.push(current.slice(start + 1));
    current = [];
  };
  for (const token of tokens) {
    if (typeof token === 'string') {
      if (!redirected) current.push(token);
      redirected = false;
    } else if ('op' in token) {
      operators.push(token.op);
      if (token.op === '>' || token.op === '<') redirected = true;
      else flush();
    } else if ('comment' in token) break;
  }
  flush();
  return { argv, operators };
}

const starterTopics = (
  JSON.parse(starterConfigText('The Harbor City Ledger')) as { feeds: { topics: { slug: string }[] } }
).feeds.topics.map((t) => t.slug);
const scaffold = new Set(
  scaffoldFiles('The Harbor City Ledger', DateTime.fromISO('2026-11-24T12:00:00Z')).map((f) => f.path),
);

describe('the examples in every --help', () => {
  const commands = commandsWithExamples();

  it('every command and subcommand shows examples', () => {
    expect(commands.filter((c) => c.examples.length === 0).map((c) => c.path)).toEqual([]);
    expect(commands.length).toBeGreaterThan(15);
  });

  for (const { path, examples } of commands) {
    it(`${path}: each example parses as typed into a shell, with topics and files a new publication has`, async () => {
      for (const example of examples) {
        const { argv, operators } = broadsheetCommands(example);
        // `;` or `&` inside an argument would run the rest as a command of its own.
        expect(
          operators.filter((op) => op === ';' || op === '&'),
          example,
        ).toEqual([]);
        for (const args of argv) {
          const ran: { command: string; options: Record<string, unknown>; args: string[] }[] = [];
          try {
            await parsingProgram(ran).parseAsync(args, { from: 'user' });
          } catch (error) {
            // `--help` ends the parse on purpose; anything else is an example that would fail.
            if (!(error instanceof CommanderError && error.exitCode === 0))
              throw new Error(`${example}: ${error}`);
          }
          for (const { options, args: operands } of ran) {
            if (typeof options.topics === 'string') {
              expect(parseTopics(options.topics, starterTopics), example).not.toHaveProperty('error');
            }
            for (const operand of operands)
              if (operand.startsWith('articles/')) expect(scaffold.has(operand), example).toBe(true);
          }
        }
      }
    });
  }
});
