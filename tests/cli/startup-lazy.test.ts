import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProgram, loadAllCommands } from '../../src/cli/main.ts';
import { MODULE_TRACE, resolvedUrls } from '../helpers/module-trace.ts';
import { tempDir } from '../helpers/temp.ts';

// main.ts imports a command's module only when that command runs; the root help lists the
// commands from main.ts's own table, which must read as the registered commands would.
const repo = resolve(import.meta.dirname, '../..');

function resolvedModules(args: string[], cwd = repo) {
  const run = spawnSync(
    process.execPath,
    ['--import', MODULE_TRACE, resolve(repo, 'src/cli/bin.js'), ...args],
    {
      cwd,
      encoding: 'utf8',
    },
  );
  expect(run.status, run.stderr).toBe(0);
  const urls = resolvedUrls(run.stderr);
  expect(urls.some((url) => /\/cli\/main\.[jt]s$/.test(url))).toBe(true);
  return urls;
}

describe('lazy commands', () => {
  it('lists every command in the root help exactly as the registered commands read', async () => {
    const lazy = createProgram();
    const eager = createProgram(await loadAllCommands());
    expect(lazy.helpInformation()).toBe(eager.helpInformation());
    expect(lazy.commands.map((command) => command.name())).toEqual(eager.commands.map((c) => c.name()));
  });

  it.each([['--help'], ['--version'], ['help']])('loads no command and no config code for `%s`', (arg) => {
    const urls = resolvedModules([arg]);
    expect(urls.filter((url) => /\/cli\/commands\/|\/cli\/context\.|\/config\/|\/zod\//.test(url))).toEqual(
      [],
    );
  });

  it('loads only the command that runs', () => {
    const urls = resolvedModules(['init', '--help']);
    const commands = urls.filter((url) => url.includes('/cli/commands/'));
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.filter((url) => !/\/cli\/commands\/init\.[jt]s$/.test(url))).toEqual([]);
  });

  it('shows the real command, not its stand-in, for `help <command>` and `<command> --help`', () => {
    const broadsheet = (args: string[]) =>
      spawnSync(process.execPath, [resolve(repo, 'src/cli/bin.js'), ...args], { encoding: 'utf8' });
    const help = broadsheet(['help', 'subscribers']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: broadsheet subscribers [options] [command]');
    expect(help.stdout).toMatch(/^ {2}add \[options\] <email> /m);
    const add = broadsheet(['subscribers', 'add', '--help']);
    expect(add.status).toBe(0);
    expect(add.stdout).toContain('Usage: broadsheet subscribers add [options] <email>');
    expect(add.stdout).toContain('Exit codes:');
  });

  it('builds without loading the parsers only other commands use (mailparser, mbox-reader, MJML)', () => {
    const dir = tempDir('bs-lazy-build-');
    mkdirSync(join(dir, 'articles'));
    writeFileSync(
      join(dir, 'articles', 'one.md'),
      '---\ntitle: Ferry Timetable Changes\ndate: 2026-11-20T09:00:00Z\n---\n\nThe winter timetable starts on Monday.\n',
    );
    const urls = resolvedModules(['build', '--quiet', '--no-newsletter'], dir);
    expect(urls.some((url) => /\/pipeline\/run\.[jt]s$/.test(url))).toBe(true);
    expect(urls.filter((url) => /\/node_modules\/(mailparser|mbox-reader|mjml[^/]*)\//.test(url))).toEqual(
      [],
    );
  });
});
