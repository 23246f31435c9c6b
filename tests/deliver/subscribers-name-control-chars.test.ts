import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanSubscriberName } from '../../src/deliver/index.ts';
import { tempState } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

// A name is printed by `subscribers list` and goes into a To: header: terminal escapes (which can
// rewrite the screen or a window title), C0/C1 controls and bidi overrides are taken out on the
// way in.
const HOSTILE = [
  '\u001b[2J\u001b[31mAnn\u001b[0m Lee',
  '\u001b]0;owned\u0007Bob Ray',
  'Cal\u0000 \u0085Ode\u009b31m',
  'Dee \u202Egnp.exe\u202C Ng',
  'Eve \u2066Ito\u2069\u200F',
];

describe('control characters in subscriber names', () => {
  it('are stripped: escape sequences whole, controls and bidi controls one by one', () => {
    expect(HOSTILE.map(cleanSubscriberName)).toEqual([
      'Ann Lee',
      'Bob Ray',
      'Cal Ode',
      'Dee gnp.exe Ng',
      'Eve Ito',
    ]);
  });

  it('never reach the terminal through `subscribers list`, whether added or imported', () => {
    const state = tempState();
    state.db.close();
    cleanups.push(() => state.cleanup());
    writeFileSync(
      join(state.dir, 'broadsheet.config.json'),
      JSON.stringify({ paths: { state: 'state.db' } }),
    );
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, 'subscribers', ...args], { cwd: state.dir, encoding: 'utf8' });
    expect(run('add', 'ann@example.org', '--name', HOSTILE[0] as string).status).toBe(0);
    const rows = HOSTILE.slice(1).map((name, k) => `p${k}@example.org,"${name}"`);
    writeFileSync(join(state.dir, 'list.csv'), `email,name\n${rows.join('\n')}\n`);
    expect(run('import', 'list.csv').status).toBe(0);
    const listed = run('list').stdout;
    const controls = new RegExp(
      ['[', '\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F', '\\u202A-\\u202E\\u2066-\\u2069]'].join(''),
    );
    expect(listed).not.toMatch(controls);
    expect(listed.split('\n').map((line) => line.split('\t')[1])).toEqual([
      'Ann Lee',
      'Bob Ray',
      'Cal Ode',
      'Dee gnp.exe Ng',
      'Eve Ito',
      undefined,
    ]);
  });
});
