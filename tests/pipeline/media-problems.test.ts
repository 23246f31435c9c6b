import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSourceFile } from '../../src/ingest/index.ts';
import { resolveMedia } from '../../src/pipeline/media.ts';
import { tempProject } from './build-site-helpers.ts';

/** One Markdown article in a temp project's articles/, read and its media resolved. */
function resolveOne(frontMatter: string, files: Record<string, string> = {}) {
  const root = tempProject();
  mkdirSync(join(root, 'articles'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  const text = `---\ntitle: A story\ndate: 2026-11-20\n${frontMatter}\n---\n\nThe body.\n`;
  const parsed = parseSourceFile(
    { path: 'articles/story.md', bytes: new TextEncoder().encode(text) },
    { maxFileBytes: 1_000_000, timeZone: 'UTC' },
  );
  expect(parsed.diagnostics).toEqual([]);
  return resolveMedia(parsed.articles, {
    root,
    articlesDir: 'articles',
    baseUrl: 'https://news.example.com/',
  });
}

describe('media an article names but the build cannot publish', () => {
  it('refuses a path out of the articles folder, even when the file is there', () => {
    const result = resolveOne('image: ../secret.png\nimage_alt: x', { 'secret.png': 'not for the web' });
    expect(result.outputs).toEqual([]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'media/outside-articles', file: 'articles/story.md', line: 4 }),
    ]);
    expect(result.articles[0]?.media?.resolved?.image).toBeNull();
  });

  it('reports a picture whose size cannot be read, and leaves it out', () => {
    const result = resolveOne('image: broken.jpg\nimage_alt: x', { 'articles/broken.jpg': 'plain text' });
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([['media/unreadable-image', 4]]);
    expect(result.articles[0]?.media?.resolved?.image).toBeNull();
  });

  it('needs a type for an enclosure URL it cannot guess, and takes a URL with one as given', () => {
    const unknown = resolveOne('enclosure: https://cdn.example.com/episode');
    expect(unknown.diagnostics.map((d) => d.code)).toEqual(['media/enclosure-type']);
    const typed = resolveOne(
      'enclosure:\n  url: https://cdn.example.com/episode\n  type: audio/mpeg\n  length: 1234',
    );
    expect(typed.diagnostics).toEqual([]);
    expect(typed.articles[0]?.media?.resolved?.enclosure).toEqual({
      url: 'https://cdn.example.com/episode',
      type: 'audio/mpeg',
      length: 1234,
      podcast: {},
    });
  });
});
