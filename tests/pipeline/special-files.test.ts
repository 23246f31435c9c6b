import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { broadsheet, epochOf } from '../cli/publication.ts';
import { tempDir } from '../helpers/temp.ts';
import { FIXTURES } from '../ingest/helpers.ts';

// A named pipe in the articles folder blocked the build's read for ever (nothing writes to it),
// and `zero.txt -> /dev/zero` read without end past the size check (a device's size is 0); a
// picture that is a pipe did the same in the media step. Only regular files are read.

describe('named pipes and devices among the articles and their media', () => {
  it('are errors naming each, and the build goes on with the rest', async () => {
    const dir = tempDir('broadsheet-special-files-');
    const articles = join(dir, 'articles');
    mkdirSync(articles);
    copyFileSync(join(FIXTURES, 'two-authors.txt'), join(articles, 'story.txt'));
    execFileSync('mkfifo', [join(articles, 'pipe.txt'), join(articles, 'picture.jpg')]);
    symlinkSync('/dev/zero', join(articles, 'zero.md'));
    writeFileSync(
      join(articles, 'with-picture.md'),
      '---\ntitle: A Story With A Picture\ndate: 2026-11-20\nimage: picture.jpg\nimage_alt: A pipe\n---\n\nBody.\n',
    );
    writeFileSync(
      join(dir, 'broadsheet.config.json'),
      JSON.stringify({ site: { title: 'Pipes', baseUrl: 'https://pipes.example/' } }),
    );
    const run = await broadsheet(['build', '--no-newsletter'], dir, epochOf('2026-11-24T20:00:00Z'));
    expect(run.status, run.stderr).toBe(1);
    const errors = run.stderr.split('\n').filter((line) => line.includes(': error: '));
    expect(errors).toEqual([
      'articles/pipe.txt: error: cannot read: not a regular file (a named pipe, socket or device) [ingest/missing-path]',
      'articles/zero.md: error: cannot read: not a regular file (a named pipe, socket or device) [ingest/missing-path]',
      'articles/with-picture.md:4: error: image "picture.jpg" is not a regular file (a named pipe, socket or device); not published [media/missing-file]',
    ]);
    const feed = JSON.parse(readFileSync(join(dir, 'out', 'feed.json'), 'utf8')) as {
      items: { title: string }[];
    };
    expect(feed.items.map((item) => item.title).sort()).toEqual(
      ['A Story With A Picture', 'Lighthouse Restoration Finishes Ahead of Schedule'].sort(),
    );
  });
});
