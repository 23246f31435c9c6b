import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/dependencies.md says why each package in package.json is there: every dependency and
// devDependency (type packages aside) has a row, marked "dev:" exactly when it is one, and no
// row names a package that is gone.
const repo = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function rows(): Map<string, 'dev' | 'runtime'> {
  const page = readFileSync(join(repo, 'docs/dependencies.md'), 'utf8');
  const found = new Map<string, 'dev' | 'runtime'>();
  for (const [, first = ''] of page.matchAll(/^\| ([^|]+) \|/gm)) {
    const names = [...first.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    for (const name of names) found.set(name, first.startsWith('dev:') ? 'dev' : 'runtime');
  }
  return found;
}

describe('docs/dependencies.md', () => {
  it('has a row for every package in package.json, dev ones marked "dev:", and none for a removed one', () => {
    const table = rows();
    const expected = new Map<string, 'dev' | 'runtime'>([
      ...Object.keys(pkg.dependencies).map((name) => [name, 'runtime'] as const),
      ...Object.keys(pkg.devDependencies)
        .filter((name) => !name.startsWith('@types/'))
        .map((name) => [name, 'dev'] as const),
    ]);
    expect(expected.size).toBeGreaterThan(20);
    expect(Object.fromEntries(table)).toEqual(Object.fromEntries(expected));
  });
});
