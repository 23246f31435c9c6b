import { appendFileSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSourceFile } from '../../src/ingest/index.ts';
import { resolveMedia } from '../../src/pipeline/media.ts';
import { hashFile } from '../../src/pipeline/output-file.ts';
import { openMediaDigests, openState } from '../../src/state/index.ts';
import { tempProject } from './build-site-helpers.ts';

/**
 * A media file's digest (its published name and length) is kept in the cache file by its stamp:
 * a build hashed every picture and episode again, ~1.9 s a build for 40 episodes of 64 MB, for
 * a one-line edit. Reads are counted by the kernel (/proc/self/io), not by the code under test.
 */
const MiB = 1024 * 1024;
const EPISODE = 32 * MiB;

function bytesReadSoFar(): number {
  return Number(/^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);
}

function story(name: string, file: string) {
  const text = `---\ntitle: ${name}\ndate: 2026-11-20\nenclosure:\n  file: ${file}\n  type: audio/mpeg\n---\n\nThe body.\n`;
  const parsed = parseSourceFile(
    { path: `articles/${name}.md`, bytes: new TextEncoder().encode(text) },
    { maxFileBytes: 1_000_000, timeZone: 'UTC' },
  );
  return parsed.articles;
}

function project() {
  const root = tempProject();
  mkdirSync(join(root, 'articles'));
  const episode = join(root, 'articles', 'episode.mp3');
  writeFileSync(episode, 'ID3 the start');
  truncateSync(episode, EPISODE);
  const db = openState(join(root, 'cache.db'));
  /** resolveMedia as a build runs it: the digests opened anew from the cache file each time. */
  const resolve = (articles = story('episode', 'episode.mp3'), trustStampsBefore = Date.now() + 60_000) => {
    const before = bytesReadSoFar();
    const result = resolveMedia(articles, {
      root,
      articlesDir: 'articles',
      baseUrl: 'https://news.example.com/',
      digests: openMediaDigests(db),
      trustStampsBefore,
    });
    expect(result.diagnostics).toEqual([]);
    return { result, read: bytesReadSoFar() - before };
  };
  return { root, episode, db, resolve };
}

const enclosureOf = (result: ReturnType<typeof resolveMedia>) =>
  result.articles[0]?.media?.resolved?.enclosure;

describe.runIf(process.platform === 'linux')('media digests kept by stamp', () => {
  it('hashes a file once; while its stamp holds, later builds name it without reading it', () => {
    const { episode, resolve } = project();
    const first = resolve();
    expect(first.read).toBeGreaterThanOrEqual(EPISODE);
    const second = resolve();
    expect(second.read).toBeLessThan(MiB);
    expect(second.result.outputs).toEqual(first.result.outputs);
    expect(enclosureOf(second.result)).toEqual(enclosureOf(first.result));
    // What it kept is what hashing gives.
    const { hash, size } = hashFile(episode, 'sha256', 'hex');
    expect(second.result.outputs[0]?.key).toBe(`${hash}:${size}`);
    expect(enclosureOf(second.result)?.length).toBe(EPISODE);
  });

  it('hashes it again once it changes, and while a stamp is too fresh to trust', () => {
    const { episode, resolve } = project();
    const first = resolve();
    appendFileSync(episode, 'a corrected ending');
    const changed = resolve();
    expect(changed.read).toBeGreaterThanOrEqual(EPISODE);
    expect(changed.result.outputs[0]?.path).not.toBe(first.result.outputs[0]?.path);
    expect(enclosureOf(changed.result)?.length).toBe(EPISODE + 18);
    // A file changed within the last tick of a coarse clock could keep its stamp: read again.
    expect(resolve(undefined, 0).read).toBeGreaterThanOrEqual(EPISODE);
  });

  it('keeps rows only for files a build named, and a damaged row is hashed again', () => {
    const { root, db, resolve } = project();
    writeFileSync(join(root, 'articles', 'other.mp3'), 'ID3 another episode');
    resolve([...story('episode', 'episode.mp3'), ...story('other', 'other.mp3')]);
    const paths = () => db.prepare('SELECT path FROM media_digest ORDER BY path').pluck().all();
    expect(paths()).toEqual([join('articles', 'episode.mp3'), join('articles', 'other.mp3')]);
    resolve();
    expect(paths()).toEqual([join('articles', 'episode.mp3')]);
    db.prepare("UPDATE media_digest SET hash = 'not a hash'").run();
    const again = resolve();
    expect(again.read).toBeGreaterThanOrEqual(EPISODE);
    expect(again.result.outputs[0]?.key).toMatch(/^[0-9a-f]{64}:\d+$/);
    expect(resolve().read).toBeLessThan(MiB);
  });
});
