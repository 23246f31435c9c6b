import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArticles } from '../../src/pipeline/read.ts';
import { tempDir } from '../helpers/temp.ts';
import { FIXTURES, OPTIONS } from '../ingest/helpers.ts';

const dir = tempDir('broadsheet-read-');
const shown = (path: string) => relative(process.cwd(), path).split('\\').join('/');

mkdirSync(join(dir, 'b-folder'));
copyFileSync(join(FIXTURES, 'two-authors.txt'), join(dir, 'b-folder', 'lighthouse.txt'));
copyFileSync(join(FIXTURES, 'byline-own-line.txt'), join(dir, 'a-ferry.txt'));
copyFileSync(join(FIXTURES, 'markdown-title-heading.md'), join(dir, 'c-trees.markdown'));
copyFileSync(join(FIXTURES, 'byline-own-line.txt'), join(dir, '.hidden.txt'));
writeFileSync(join(dir, 'notes.docx'), 'not ours');
writeFileSync(join(dir, 'huge.txt'), 'x'.repeat(5000));

describe('readArticles', () => {
  const read = readArticles([dir], { ...OPTIONS, maxFileBytes: 4000 });

  it('reads .txt, .md and .markdown files recursively in sorted order, skipping hidden ones', () => {
    expect(read.files).toBe(4);
    expect(read.articles.map((a) => a.title)).toEqual([
      'Ferry Fares Hold Steady for Winter Season',
      'Lighthouse Restoration Finishes Ahead of Schedule',
      'Volunteers Plant 500 Trees Along the River Trail',
    ]);
    expect(read.articles[1]?.sources[0]?.file).toBe(shown(join(dir, 'b-folder', 'lighthouse.txt')));
  });

  it('refuses an oversized file by its size, and warns about files of other types', () => {
    expect(read.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'ingest/unknown-extension',
        file: shown(join(dir, 'notes.docx')),
      }),
      expect.objectContaining({
        severity: 'error',
        code: 'ingest/too-large',
        file: shown(join(dir, 'huge.txt')),
      }),
    ]);
  });

  it('reports a path that does not exist and goes on with the others', () => {
    const result = readArticles([join(dir, 'missing'), join(dir, 'a-ferry.txt')], OPTIONS);
    expect(result.articles).toHaveLength(1);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'ingest/missing-path',
        file: shown(join(dir, 'missing')),
      }),
    ]);
  });
});
