import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'src/cli/bin.js');

function build(cwd: string, config: string): void {
  const run = spawnSync(process.execPath, [BIN, '--quiet', '-c', config, 'build'], {
    cwd,
    env: { ...process.env, SOURCE_DATE_EPOCH: '1795550400' },
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
}

function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

function itemIdByTitle(site: string, title: string): string | undefined {
  const feed = JSON.parse(readFileSync(join(site, 'out/feed.json'), 'utf8')) as {
    items: { id: string; title: string }[];
  };
  return feed.items.find((item) => item.title === title)?.id;
}

describe('build run from another directory', () => {
  it('gives the same out/ as a build run in the publication folder', () => {
    const site = copyPublication();
    const config = join(site, 'broadsheet.config.json');
    build(site, config);
    const fromSite = snapshot(join(site, 'out'));
    rmSync(join(site, 'out'), { recursive: true });
    rmSync(join(site, '.broadsheet'), { recursive: true });
    build(tmpdir(), config);
    const fromElsewhere = snapshot(join(site, 'out'));
    expect(fromSite.size).toBeGreaterThan(50);
    expect([...fromElsewhere.keys()].sort()).toEqual([...fromSite.keys()].sort());
    for (const [path, text] of fromSite) expect(fromElsewhere.get(path), path).toBe(text);
  });

  it("keeps a re-headlined story's id when the next build runs from elsewhere (sources are relative to the config)", () => {
    const site = copyPublication();
    const config = join(site, 'broadsheet.config.json');
    build(site, config);
    const before = itemIdByTitle(site, 'First Frost Arrives Two Weeks Early');
    expect(before).toBeDefined();
    // A new headline: the story is matched to its identity by its source file, not its title.
    const file = join(site, 'articles/2026-11-20-first-frost.txt');
    const text = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      text.replace('First Frost Arrives Two Weeks Early', 'Harbor City Shivers Through an Early Frost'),
    );
    build(tmpdir(), config);
    expect(itemIdByTitle(site, 'Harbor City Shivers Through an Early Frost')).toBe(before);
  });
});

function copyPublication(): string {
  const site = tempDir('bs-cwd-');
  for (const part of ['articles', 'templates', 'broadsheet.config.json']) {
    cpSync(join(REPO, part), join(site, part), { recursive: true });
  }
  return site;
}
