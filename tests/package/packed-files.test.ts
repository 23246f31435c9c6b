import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// What `npm pack` puts in the tarball a publisher installs with `npm install -g`: the compiled
// command and what it reads at run time, never the TypeScript sources. `.ci/install-from-tarball`
// installs that tarball and runs it; this checks the list and the dependencies, in seconds.
const repo = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function packedFiles(): string[] {
  // --ignore-scripts: no build here; dist/ is listed when it exists (CI's `npm ci` builds it).
  const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: repo,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const [report] = JSON.parse(run.stdout) as { files: { path: string }[] }[];
  return (report?.files ?? []).map((file) => file.path);
}

/** Package names imported (not `import type`) by the code under src/ that ships. */
function runtimeImports(): Map<string, string> {
  const found = new Map<string, string>();
  const src = join(repo, 'src');
  for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!/\.(ts|js)$/.test(file) || file.endsWith('.d.ts')) continue;
    const text = readFileSync(join(src, file), 'utf8');
    const specifiers = text.matchAll(/(?:^import (?!type )[^;]*?from |import\(|require\()'([^'.][^']*)'/gms);
    for (const [, specifier = ''] of specifiers) {
      if (specifier.startsWith('node:')) continue;
      const parts = specifier.split('/');
      const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
      if (!found.has(name)) found.set(name, `src/${file}`);
    }
  }
  return found;
}

describe('the packed package', () => {
  it('holds the command, its templates and schema, and no TypeScript source', () => {
    const files = packedFiles();
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'broadsheet.schema.json',
        'src/cli/dist-current.js',
        'src/cli/send-thread.js',
        'docs/cli.md',
      ]),
    );
    for (const bin of Object.values(pkg.bin)) expect(files).toContain(bin);
    const templates = readdirSync(join(repo, 'templates'), {
      recursive: true,
      encoding: 'utf8',
      withFileTypes: true,
    })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(repo.length + 1));
    expect(templates.length).toBeGreaterThan(3);
    expect(files).toEqual(expect.arrayContaining(templates));
    expect(files.filter((file) => file.endsWith('.ts'))).toEqual([]);
    expect(files.filter((file) => file.startsWith('tests/') || file.startsWith('node_modules/'))).toEqual([]);
  });

  it('depends on every package its code imports; tsx, used only to run src/ in a checkout, is a devDependency', () => {
    const imports = runtimeImports();
    expect(imports.get('commander')).toBeDefined();
    expect(imports.get('tsx')).toBe('src/cli/bin.js');
    imports.delete('tsx');
    for (const [name, file] of imports)
      expect(pkg.dependencies, `${name} (imported by ${file})`).toHaveProperty([name]);
    expect(pkg.dependencies).not.toHaveProperty(['tsx']);
    expect(pkg.devDependencies).toHaveProperty(['tsx']);
  });
});
