import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { tempDir } from '../helpers/temp.ts';

const repo = resolve(import.meta.dirname, '../..');
const bin = join(repo, 'src/cli/bin.js');

function broadsheet(args: string[], cwd: string) {
  const env = { ...process.env, SOURCE_DATE_EPOCH: '1764000000' };
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env });
}

function templatesInRepo(): string[] {
  const folder = join(repo, 'templates');
  return readdirSync(folder, { recursive: true, encoding: 'utf8', withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
    .sort();
}

describe('broadsheet init', () => {
  it('scaffolds a publication that loads, validates and builds', () => {
    const parent = tempDir('broadsheet-init-');
    const init = broadsheet(['init', 'ledger', '--title', 'The Harbor City Ledger'], parent);
    expect(init.stderr).toContain('created');
    expect(init.status).toBe(0);
    const dir = join(parent, 'ledger');

    const loaded = loadConfig(null, dir);
    expect(loaded.file).toBe(join(dir, 'broadsheet.config.json'));
    expect(loaded.config.site.title).toBe('The Harbor City Ledger');
    const raw = JSON.parse(readFileSync(join(dir, 'broadsheet.config.json'), 'utf8'));
    expect(raw.$schema).toBe('./broadsheet.schema.json');
    expect(readFileSync(join(dir, 'broadsheet.schema.json'), 'utf8')).toBe(
      readFileSync(join(repo, 'broadsheet.schema.json'), 'utf8'),
    );
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['out', '.out.builds/', 'outbox/', '.broadsheet/']),
    );
    expect(readFileSync(join(dir, 'articles/example.txt'), 'utf8')).toMatch(/^.+\n\nIn This Article\n/);
    for (const template of templatesInRepo()) {
      expect(readFileSync(join(dir, 'templates', template))).toEqual(
        readFileSync(join(repo, 'templates', template)),
      );
    }

    const build = broadsheet(['build'], dir);
    expect(build.stderr).toMatch(/read 1 file → 1 article \(0 merges\) → 1 item; 0 errors/);
    expect(build.status).toBe(0);
    expect(readFileSync(join(dir, 'out', 'rss.xml'), 'utf8')).toContain(
      '<title>Harbor City Opens Its First Floating Park</title>',
    );
    expect(readFileSync(join(dir, 'out', 'index.html'), 'utf8')).toContain('The Harbor City Ledger');
  });

  it('refuses to overwrite existing files without --force and writes nothing', () => {
    const dir = tempDir('broadsheet-init-');
    writeFileSync(join(dir, 'broadsheet.config.json'), '{"site":{"title":"Mine"}}\n');
    const refused = broadsheet(['init'], dir);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('broadsheet.config.json');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(dir, 'broadsheet.config.json'), 'utf8')).toBe('{"site":{"title":"Mine"}}\n');
    expect(existsSync(join(dir, 'articles'))).toBe(false);

    const forced = broadsheet(['init', '--force', '--title', 'Forced'], dir);
    expect(forced.status).toBe(0);
    expect(loadConfig(null, dir).config.site.title).toBe('Forced');
  });

  it('adds its lines to a .gitignore that exists instead of refusing or replacing it', () => {
    const dir = tempDir('broadsheet-init-');
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\nout/');
    const init = broadsheet(['init'], dir);
    expect(init.status).toBe(0);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(
      'node_modules/\nout/\nout\n.out.builds/\noutbox/\n.broadsheet/\n',
    );
  });

  it('stays silent with --quiet', () => {
    const dir = tempDir('broadsheet-init-');
    const quiet = broadsheet(['--quiet', 'init'], dir);
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(existsSync(join(dir, 'broadsheet.config.json'))).toBe(true);
  });
});
