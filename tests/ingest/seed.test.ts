import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The publisher's real export sits beside the checkout, not in it: we read it, never copy it.
const ROOT = join(import.meta.dirname, '../..');
const SEED = '../shared/seed/000_714d7cd499853a6c.txt';
const present = existsSync(join(ROOT, SEED));
if (!present) console.warn(`seed test skipped: ${SEED} (relative to ${ROOT}) is absent`);

describe.skipIf(!present)('the real export (acceptance)', () => {
  it('inspect --json gives exactly one merged article with the byline kept', () => {
    const run = spawnSync(process.execPath, ['src/cli/bin.js', 'inspect', SEED, '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.articles).toHaveLength(1);
    const [article] = report.articles;
    expect(article.title).toMatch(/^US and Israel Withdraw from Gaza Ceasefire Talks/);
    expect(article.authors).toEqual(['Ethan Brooks']);
    expect(article.published).toBeNull();
    expect(article.updated).toBeNull();
    expect(article.highlights).toHaveLength(5);
    expect(article.body).toHaveLength(5);
    expect(article.body.some((p: string) => p.includes('WHAT THIS MIGHT MEAN'))).toBe(false);
    expect(article.body.at(-1)).toMatch(/Middle East peace process\.$/);
    expect(article.analysis).toHaveLength(2);
    expect(article.related).toHaveLength(6);
    expect(article.related[0]).toMatch(/^Hamas Reasserts Control/);
    expect(article.format).toBe('text');
    expect(article.sources).toEqual([
      { file: SEED, startLine: 1, endLine: 30 },
      { file: SEED, startLine: 31, endLine: 60 },
    ]);
    expect(article.mergedFrom).toEqual([{ file: SEED, startLine: 31, endLine: 60 }]);
    expect(report.diagnostics).toEqual([]);
  });
});
