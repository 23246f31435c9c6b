import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/configuration.md's table of environment variables against the code that reads them:
// `env.NAME` and `secret('NAME')` in the reader (src/config/env.ts), `process.env.NAME` anywhere.
const repo = resolve(import.meta.dirname, '../..');

function variablesTheCodeReads(): Set<string> {
  const names = new Set<string>();
  const src = join(repo, 'src');
  for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const code = readFileSync(join(src, file), 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
      .join('\n');
    for (const m of code.matchAll(
      /\b(?:process\.env|env)\.([A-Z][A-Z0-9_]+)|\bsecret\('([A-Z][A-Z0-9_]+)'\)/g,
    )) {
      names.add(m[1] ?? m[2] ?? '');
    }
  }
  return names;
}

describe("docs/configuration.md's environment variables", () => {
  it('name every variable the code reads', () => {
    const page = readFileSync(join(repo, 'docs/configuration.md'), 'utf8');
    const table = page.split('### Environment variables')[1]?.split('\n#')[0] ?? '';
    const documented = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    const read = variablesTheCodeReads();
    expect([...read]).toEqual(expect.arrayContaining(['SMTP_URL', 'SOURCE_DATE_EPOCH', 'BROADSHEET_DEBUG']));
    for (const name of read) expect(documented, name).toContain(name);
  });
});
