import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listArticleFiles } from '../../src/pipeline/inputs.ts';
import { tempDir } from '../helpers/temp.ts';
import { FIXTURES } from '../ingest/helpers.ts';

const dir = tempDir('broadsheet-symlink-loop-');

// A symlink back up the tree (`up -> ..`, `self -> .`) made the folder walk follow it until the
// path was too long: with two such links the walk doubled at every level and never ended, and
// with one, each file was read again at every level (41 copies of one article).
mkdirSync(join(dir, 'articles'));
copyFileSync(join(FIXTURES, 'two-authors.txt'), join(dir, 'articles', 'a.txt'));
symlinkSync('..', join(dir, 'articles', 'up'));
symlinkSync('.', join(dir, 'articles', 'self'));

describe('listArticleFiles with symlinks that loop', () => {
  it('lists each folder once and ends', () => {
    const list = listArticleFiles([join(dir, 'articles')]);
    expect(list.files).toEqual([join(dir, 'articles', 'a.txt')]);
    expect(list.missing).toEqual([]);
  });
});
