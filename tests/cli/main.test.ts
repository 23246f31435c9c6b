import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.ts';

const repo = resolve(import.meta.dirname, '../..');
const bin = resolve(repo, 'src/cli/bin.js');

function broadsheet(args: string[], cwd = tempDir('broadsheet-cli-'), env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

describe('the broadsheet command', () => {
  it.each(['build', 'inspect', 'send', 'subscribers', 'serve', 'init'])(
    'documents exit codes in `%s --help`',
    (name) => {
      const help = broadsheet([name, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(`Usage: broadsheet ${name}`);
      expect(help.stdout).toMatch(/Exit codes:\n {2}0 {2}ok\n {2}1 .+\n.+\n {2}2 .+\n {2}3 /);
    },
  );

  it('lists every command with examples, exit codes and environment variables in --help', () => {
    const help = broadsheet(['--help']);
    expect(help.status).toBe(0);
    for (const name of ['build', 'inspect', 'send', 'subscribers', 'serve', 'init']) {
      expect(help.stdout).toMatch(new RegExp(`^ {2}${name}\\b`, 'm'));
    }
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('SMTP_URL');
    expect(help.stdout).toContain('Exit codes:');
  });

  it('exits 2 on an unknown command or a bad option value, with a short hint', () => {
    const unknown = broadsheet(['deploy']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'deploy'");
    expect(unknown.stderr).toContain('--help');
    const badPort = broadsheet(['serve', '--port', 'eighty']);
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toContain('expected a port number');
  });

  it('exits 2 on a --since that is not a date or a --period it does not know, before building anything', () => {
    const dir = tempDir('broadsheet-cli-');
    mkdirSync(join(dir, 'articles'));
    writeFileSync(join(dir, 'articles', 'story.md'), '---\ntitle: A story\ndate: 2026-11-20\n---\n\nText.\n');
    const since = broadsheet(['build', '--since', 'yesterday'], dir);
    expect(since.status).toBe(2);
    expect(since.stderr).toContain('--since: not an ISO 8601 date or date-time: "yesterday"');
    const period = broadsheet(['build', '--period', 'monthly'], dir);
    expect(period.status).toBe(2);
    expect(period.stderr).toContain('Allowed choices are daily, weekly, since-last');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const good = broadsheet(['build', '--quiet', '--since', '2026-11-19', '--period', 'weekly'], dir);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
  });

  it('exits 2 on an invalid config, naming the file, the key and the value', () => {
    const dir = tempDir('broadsheet-cli-');
    writeFileSync(join(dir, 'broadsheet.config.json'), '{ "site": { "timeZone": "Europe/Harbor" } }\n');
    const build = broadsheet(['build'], dir);
    expect(build.status).toBe(2);
    expect(build.stderr).toContain(
      'broadsheet.config.json:1: error: "site.timeZone": got "Europe/Harbor"; expected an IANA time zone',
    );
    const missing = broadsheet(['--config', 'nope.json', 'build'], dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('config file not found');
  });

  it('exits 2 on a malformed environment variable, naming it', () => {
    const build = broadsheet(['build'], undefined, { SOURCE_DATE_EPOCH: 'yesterday' });
    expect(build.status).toBe(2);
    expect(build.stderr).toContain('error: SOURCE_DATE_EPOCH: got "yesterday"; expected whole seconds');
  });

  it('prints nothing but errors with --quiet, before or after the command name', () => {
    const dir = tempDir('broadsheet-cli-');
    mkdirSync(join(dir, 'articles'));
    writeFileSync(
      join(dir, 'articles', 'ferry.md'),
      '---\ntitle: Harbor ferry adds a night crossing\nauthor: Ann Lee\ndate: 2026-11-20T09:00:00-05:00\n---\n\nThe ferry now runs until midnight.\n',
    );
    // Not an article: a warning, which --quiet drops.
    writeFileSync(join(dir, 'articles', 'photo-credits.pdf'), '%PDF-1.4');
    const loud = broadsheet(['build'], dir);
    expect(loud.status).toBe(0);
    expect(loud.stderr).toMatch(/^wrote \d+ files? .* in \d+\.\d\d s \[read /m);
    expect(loud.stderr).toMatch(/photo-credits\.pdf: warning: /);
    for (const args of [
      ['--quiet', 'build'],
      ['build', '-q'],
    ]) {
      const quiet = broadsheet(args, dir);
      expect(quiet.status).toBe(0);
      expect(quiet.stderr).toBe('');
      expect(quiet.stdout).toBe('');
    }
  });

  it('reports a system error in one line with exit 3, not a stack trace', () => {
    const dir = tempDir('broadsheet-cli-');
    writeFileSync(join(dir, 'taken'), 'a file where init needs a folder');
    const init = broadsheet(['init', 'taken/ledger'], dir);
    expect(init.status).toBe(3);
    expect(init.stderr.trim()).toMatch(/^broadsheet: ENOTDIR: not a directory, .*taken\/ledger'$/);
  });

  it('stops quietly with exit 0 when the reader of its stdout goes away (| head)', async () => {
    // Far more JSON than a pipe buffers (64 KB), so the write is still going when the reader leaves.
    const dir = tempDir('broadsheet-cli-');
    mkdirSync(join(dir, 'articles'));
    for (let i = 0; i < 300; i++) {
      const words = Array.from({ length: 60 }, (_, w) => `word${(i * 7919 + w * 104729) % 100003}`).join(' ');
      writeFileSync(
        join(dir, 'articles', `story-${i}.txt`),
        `Story number ${i}\n\nIn This Article\n${words}.\n`,
      );
    }
    const child = spawn(process.execPath, [bin, 'inspect', '--json'], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) =>
      child.on('close', (status) => resolve(status)),
    );
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });

  it('prints its version', () => {
    const version = broadsheet(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
