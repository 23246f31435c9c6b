import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../src/diagnostic-codes.ts';

const PAGE = new URL('../../docs/diagnostics.md', import.meta.url);

/** The page as the table in src/diagnostic-codes.ts says it must be. */
function expectedPage(): string {
  const rows = Object.entries(DIAGNOSTIC_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`);
  return [
    '# Diagnostics',
    '',
    'Every warning and error Broadsheet prints about its input carries a stable code at the end of',
    'the line:',
    '',
    '```',
    'articles/ferry.txt:3: warning: unrecognised published date "soon"; left empty [ingest/bad-date]',
    '```',
    '',
    'Scripts and CI filters may match on the codes: a code keeps its meaning, and a new meaning',
    'gets a new code. The table lives in `src/diagnostic-codes.ts` (the compiler',
    'refuses a code that is not in it); a test keeps this page equal to it',
    '(`UPDATE_DOCS=1 npx vitest run tests/docs/diagnostics-page.test.ts` rewrites it).',
    '',
    '| code | what it means |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

describe('docs/diagnostics.md', () => {
  it('lists every diagnostic code with its meaning, and no other', () => {
    if (process.env.UPDATE_DOCS === '1') writeFileSync(PAGE, expectedPage());
    expect(readFileSync(PAGE, 'utf8')).toBe(expectedPage());
  });

  it('names codes by stage, lower-case words joined by dashes', () => {
    for (const code of Object.keys(DIAGNOSTIC_CODES))
      expect(code).toMatch(/^[a-z]+\/[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});
