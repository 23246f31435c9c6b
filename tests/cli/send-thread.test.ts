import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isSendCommand, SEND_YOUNG_GENERATION_MB } from '../../src/cli/send-thread.js';

const SEND_THREAD = pathToFileURL(join(import.meta.dirname, '../../src/cli/send-thread.js')).href;
const dir = mkdtempSync(join(tmpdir(), 'broadsheet-send-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs `entry` through `runInSendThread` in a real node process, as bin.js does for `send`, and
 * returns what that process printed and its exit code.
 */
function throughSendThread(entry: string, args: string[] = []) {
  const file = join(dir, `entry-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, entry);
  const runner = `${file}.runner.mjs`;
  writeFileSync(
    runner,
    `import { runInSendThread } from ${JSON.stringify(SEND_THREAD)};\n` +
      `process.exitCode = await runInSendThread(new URL(${JSON.stringify(pathToFileURL(file).href)}), ${JSON.stringify(args)});\n`,
  );
  return spawnSync(process.execPath, [runner], { encoding: 'utf8' });
}

describe('the send thread', () => {
  it('is taken by `send` only, wherever the global options put it', () => {
    expect(isSendCommand(['send'])).toBe(true);
    expect(isSendCommand(['-c', 'site/broadsheet.config.json', '--quiet', 'send', '--dry-run'])).toBe(true);
    expect(isSendCommand(['--config', 'send', 'build'])).toBe(false);
    expect(isSendCommand(['--config=x.json', 'send'])).toBe(true);
    expect(isSendCommand(['build', 'send'])).toBe(false);
    expect(isSendCommand(['subscribers', 'add', 'send@example.org'])).toBe(false);
    expect(isSendCommand(['--help'])).toBe(false);
    expect(isSendCommand([])).toBe(false);
  });

  it('runs with the larger young generation and the arguments, its output and exit code coming through', () => {
    const result = throughSendThread(
      `import { resourceLimits, isMainThread } from 'node:worker_threads';\n` +
        `process.stdout.write(JSON.stringify({ isMainThread, young: resourceLimits.maxYoungGenerationSizeMb, args: process.argv.slice(2) }));\n` +
        `process.stderr.write('a warning\\n');\n` +
        `process.exitCode = 3;\n`,
      ['-c', 'x.json', 'send'],
    );
    expect(JSON.parse(result.stdout)).toEqual({
      isMainThread: false,
      young: SEND_YOUNG_GENERATION_MB,
      args: ['-c', 'x.json', 'send'],
    });
    expect(result.stderr).toBe('a warning\n');
    expect(result.status).toBe(3);
  });

  it('passes an exit code given to process.exit, after what was printed', () => {
    const result = throughSendThread(`console.log('before exit');\nprocess.exit(2);\n`);
    expect(result.stdout).toBe('before exit\n');
    expect(result.status).toBe(2);
  });

  it('prints an uncaught error with its stack and exits 1, as Node does on the main thread', () => {
    const result = throughSendThread(
      `function composeAll() { throw new Error('the template broke'); }\ncomposeAll();\n`,
    );
    expect(result.stderr).toMatch(/Error: the template broke\n\s+at composeAll/);
    expect(result.status).toBe(1);
  });
});
