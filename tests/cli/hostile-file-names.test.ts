import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, printable } from '../../src/cli/print.ts';
import { tempDir } from '../helpers/temp.ts';
import { FIXTURES } from '../ingest/helpers.ts';
import { broadsheet, epochOf } from './publication.ts';

// File names come from whoever filled the articles folder (a scraper, an export, a shared
// drive). What the build prints about them must stay one line per message, in the colours and
// order the terminal had: a newline in a name would forge a second diagnostic, an escape
// sequence recolour or clear the screen, a bidi override show the path reversed.

const ESC = '\u001b';
const RLO = '\u202e';

describe('file names with control characters in what the build prints', () => {
  it('are escaped in diagnostics and in the merge lines, one line each', async () => {
    const dir = tempDir('broadsheet-hostile-names-');
    mkdirSync(join(dir, 'articles'));
    writeFileSync(
      join(dir, 'broadsheet.config.json'),
      JSON.stringify({ site: { title: 'Names', baseUrl: 'https://names.example/' } }),
    );
    const forged = `a\nfake.txt:1: error: forged [x]${ESC}[2J.md`;
    writeFileSync(join(dir, 'articles', forged), '');
    // The same story twice: the merge line names both files.
    copyFileSync(join(FIXTURES, 'two-authors.txt'), join(dir, 'articles', 'story.txt'));
    copyFileSync(join(FIXTURES, 'two-authors.txt'), join(dir, 'articles', `copy${RLO}txt.txt`));
    const run = await broadsheet(['build', '--no-newsletter'], dir, epochOf('2026-11-24T20:00:00Z'));
    expect(run.status, run.stderr).toBe(1);
    const lines = run.stderr.split('\n');
    expect(lines).toContain(
      'articles/a\\nfake.txt:1: error: forged [x]\\x1b[2J.md: error: empty file: no article to read [ingest/empty]',
    );
    expect(lines.filter((line) => line.startsWith('fake.txt'))).toEqual([]);
    expect(run.stderr).toContain('articles/copy\\u202etxt.txt:1');
    expect(run.stderr).toMatch(/^merged: .*articles\/copy\\u202etxt\.txt:1/m);
    expect(run.stderr).not.toContain(ESC);
    expect(run.stderr).not.toContain(RLO);
  });

  it('printable escapes C0, DEL, C1 and bidi controls, and keeps other text as it is', () => {
    expect(printable('tab\there\r\u0000\u007f\u0085\u2066x\u2069 é 東京 ←')).toBe(
      'tab\\there\\r\\x00\\x7f\\x85\\u2066x\\u2069 é 東京 ←',
    );
    expect(printable('two\nlines')).toBe('two\nlines');
    expect(printable('two\nlines', false)).toBe('two\\nlines');
    // A message may span lines on purpose; the file name never does.
    expect(
      formatDiagnostic({
        severity: 'warning',
        code: 'ingest/empty',
        file: 'x\ny.md',
        line: 2,
        message: 'one\ntwo',
      }),
    ).toBe('x\\ny.md:2: warning: one\ntwo [ingest/empty]');
  });
});
