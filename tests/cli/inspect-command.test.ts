import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.ts';
import { FIXTURES } from '../ingest/helpers.ts';

const BIN = join(import.meta.dirname, '../../src/cli/bin.js');
const work = tempDir('broadsheet-inspect-');

// A publication folder of its own (config included), so the test never reads the checkout's.
writeFileSync(
  join(work, 'broadsheet.config.json'),
  JSON.stringify({ site: { timeZone: 'America/New_York' } }),
);

function inspect(args: string[]) {
  const run = spawnSync(process.execPath, [BIN, 'inspect', ...args], { cwd: work, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('broadsheet inspect', () => {
  it('--json prints articles, merges and diagnostics; exit 0 when there are no errors', () => {
    cpSync(join(FIXTURES, 'dump-three-articles.txt'), join(work, 'good', 'dump.txt'), { recursive: true });
    cpSync(join(FIXTURES, 'same-article-twice.txt'), join(work, 'good', 'twice.txt'));
    const run = inspect(['good', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report).sort()).toEqual(['articles', 'diagnostics', 'files', 'merges']);
    expect(report.files).toBe(2);
    expect(report.articles.map((a: { title: string }) => a.title)).toEqual([
      'Tram Line Extension Approved by Transit Board',
      'Bus Drivers Ratify New Contract',
      'Night Buses Return to the Waterfront',
      'Reservoir Levels Reach Ten-Year Low',
    ]);
    const reservoir = report.articles[3];
    expect(reservoir.authors).toEqual(['Tomasz Wierzbicki']);
    expect(reservoir.mergedFrom).toEqual([{ file: 'good/twice.txt', startLine: 12, endLine: 27 }]);
    expect(report.merges).toContainEqual({
      stage: 'ingest',
      title: 'Reservoir Levels Reach Ten-Year Low',
      into: { file: 'good/twice.txt', startLine: 1, endLine: 11 },
      from: [{ file: 'good/twice.txt', startLine: 12, endLine: 27 }],
    });
    expect(report.articles[2].published).toBe('2026-10-22T19:15:00-04:00');
    expect(report.diagnostics).toEqual([]);
  });

  it('exits 1 on a file with errors, reports it by name, and still reads the rest', () => {
    cpSync(join(FIXTURES, 'binary.bin'), join(work, 'mixed', 'picture.txt'), { recursive: true });
    cpSync(join(FIXTURES, 'byline-own-line.txt'), join(work, 'mixed', 'ferry.txt'));
    cpSync(join(FIXTURES, 'markdown-bad-yaml.md'), join(work, 'mixed', 'budget.md'));
    const run = inspect(['mixed', '--json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.articles.map((a: { title: string }) => a.title)).toEqual([
      'Ferry Fares Hold Steady for Winter Season',
    ]);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'ingest/bad-front-matter',
        file: 'mixed/budget.md',
        line: 5,
      }),
      expect.objectContaining({ severity: 'error', code: 'ingest/binary', file: 'mixed/picture.txt' }),
    ]);
    expect(run.stderr).toContain('mixed/budget.md:5: error: invalid YAML front matter');
  });

  it('a missing path is an error, not a crash', () => {
    const run = inspect(['no-such-folder', '--json']);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'ingest/missing-path', file: 'no-such-folder' }),
    ]);
  });

  it('prints a readable summary without --json, and defaults to paths.articles', () => {
    cpSync(join(FIXTURES, 'two-authors.txt'), join(work, 'articles', 'lighthouse.txt'), { recursive: true });
    const run = inspect([]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Lighthouse Restoration Finishes Ahead of Schedule');
    expect(run.stdout).toContain('by Priya Raman, Tomasz Wierzbicki · published 2026-10-14T16:30:00-04:00');
    expect(run.stdout).toContain('from articles/lighthouse.txt:1-8');
    expect(run.stderr).toContain('1 article from 1 file');
  });

  it('--help shows examples', () => {
    const run = spawnSync(process.execPath, [BIN, 'inspect', '--help'], { cwd: work, encoding: 'utf8' });
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('--json');
  });
});
