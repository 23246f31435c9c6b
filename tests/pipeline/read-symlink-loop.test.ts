import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listArticleFiles } from '../../src/pipeline/inputs.ts';
import { broadsheet, epochOf } from '../cli/publication.ts';
import { tempDir } from '../helpers/temp.ts';
import { FIXTURES } from '../ingest/helpers.ts';

const dir = tempDir('broadsheet-symlink-loop-');

// A symlink back up the tree (`up -> ..`, `self -> .`) made the folder walk follow it until the
// path was too long: with two such links the walk doubled at every level and never ended, and
// with one, each file was read again at every level (41 copies of one article). The build's
// snapshot of its inputs (pipeline/unchanged.ts, for a no-change replay) walked them apart from
// the listing, followed `self` until the kernel said ELOOP, and stopped the whole build with it.
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

describe('a build of a folder with symlinks that loop', () => {
  it('builds the stories, names the link that cannot be read, and replays the next time', async () => {
    const site = tempDir('broadsheet-symlink-build-');
    mkdirSync(join(site, 'articles'));
    copyFileSync(join(FIXTURES, 'two-authors.txt'), join(site, 'articles', 'a.txt'));
    symlinkSync('..', join(site, 'articles', 'up'));
    symlinkSync('.', join(site, 'articles', 'self'));
    symlinkSync('loop.md', join(site, 'articles', 'loop.md'));
    writeFileSync(
      join(site, 'broadsheet.config.json'),
      JSON.stringify({ site: { title: 'Loops', baseUrl: 'https://loops.example/' } }),
    );
    const now = epochOf('2026-11-24T20:00:00Z');
    const first = await broadsheet(['build', '--no-newsletter'], site, now);
    // An error the publisher must see (exit 1), not a failed build (exit 3).
    expect(first.status, first.stderr).toBe(1);
    expect(first.stderr).toMatch(/articles\/loop\.md: error: cannot read: ELOOP/);
    expect(first.stderr).not.toContain('self/self');
    const feed = JSON.parse(readFileSync(join(site, 'out', 'feed.json'), 'utf8')) as { items: unknown[] };
    expect(feed.items).toHaveLength(1);
    expect(existsSync(join(site, 'out', 'index.html'))).toBe(true);
    const again = await broadsheet(['build', '--no-newsletter'], site, now);
    expect(again.status, again.stderr).toBe(1);
    expect(again.stderr).toContain('articles/loop.md: error: cannot read: ELOOP');
    // Replayed: the inputs' snapshot is the same from one build to the next, loops and all.
    expect(`${again.stdout}${again.stderr}`).toContain('0 rendered');
  });
});
