import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.ts';

// The README's ten-minute tour, pasted as written: every `broadsheet …` line of its code blocks
// runs (through bin.js) in a fresh folder, `~` being a temporary home, and the last one leaves a
// newsletter in the outbox. `serve` runs until Ctrl-C, so it is the one line left out.
const repo = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(repo, 'README.md'), 'utf8');
const home = tempDir('broadsheet-tour-');

function tourLines(): string[] {
  const tour = readme.split('\n## A ten-minute tour\n')[1]?.split('\n## ')[0] ?? '';
  const blocks = [...tour.matchAll(/^```\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '');
}

/** Splits a pasted line into words: double quotes group, `&&` runs the next on success. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

describe("the README's ten-minute tour", () => {
  it('runs as pasted: init, build, subscribers add and send leave a newsletter in the outbox', () => {
    const lines = tourLines();
    expect(lines[0]).toMatch(/^broadsheet init /);
    const { SMTP_URL, SMTP_URL_FILE, ...env } = process.env;
    let cwd = home;
    const ran: string[] = [];
    for (const line of lines) {
      for (const command of line.split(' && ')) {
        const [name = '', ...args] = words(command.replaceAll('~', home));
        if (name === 'cd') {
          cwd = resolve(cwd, args[0] ?? '');
          continue;
        }
        expect(name, line).toBe('broadsheet');
        if (args[0] === 'serve') continue;
        const run = spawnSync(process.execPath, [join(repo, 'src/cli/bin.js'), ...args], {
          cwd,
          env,
          encoding: 'utf8',
        });
        expect(run.status, `${command}\n${run.stderr}`).toBe(0);
        ran.push(args[0] ?? '');
      }
    }
    expect(ran).toEqual(expect.arrayContaining(['init', 'build', 'subscribers', 'send']));
    expect(existsSync(join(cwd, 'out/rss.xml'))).toBe(true);
    const editions = readdirSync(join(cwd, 'outbox'));
    expect(editions).toHaveLength(1);
    expect(
      readdirSync(join(cwd, 'outbox', editions[0] ?? '')).filter((name) => name.endsWith('.eml')),
    ).toHaveLength(1);
  });

  it("uses the README's two commands as package.json defines them", () => {
    const scripts = (
      JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    for (const script of readme.matchAll(/^npm (start|test)\b/gm))
      expect(scripts).toHaveProperty([script[1] ?? '']);
    expect(readme).toMatch(/^npm install$/m);
  });
});
