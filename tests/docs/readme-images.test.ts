import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const readme = readFileSync(resolve(repo, 'README.md'), 'utf8');

describe('README screenshots', () => {
  it('shows the newsletter and a feed in the browser, and every image it shows is committed as a PNG', () => {
    const images = [...readme.matchAll(/!\[([^\]]+)\]\(([^)]+)\)/g)].map((m) => ({
      alt: m[1],
      path: m[2] ?? '',
    }));
    expect(images.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'tests/docs/screenshots/newsletter-600.png',
        'tests/docs/screenshots/newsletter-375.png',
        'tests/docs/screenshots/feed-rss.png',
      ]),
    );
    for (const { alt, path } of images) {
      expect(alt?.length, path).toBeGreaterThan(10);
      const file = resolve(repo, path);
      expect(existsSync(file), path).toBe(true);
      // PNG signature: a real image, not an LFS pointer or an empty placeholder.
      expect(readFileSync(file).subarray(0, 8).toString('hex'), path).toBe('89504e470d0a1a0a');
    }
  });
});
