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

function story(name: string, file: string, field: 'enclosure' | 'image' = 'enclosure') {
  const media =
    field === 'enclosure'
      ? `enclosure:\n  file: ${file}\n  type: audio/mpeg\n`
      : `image: ${file}\nimage_alt: A picture\n`;
  const text = `---\ntitle: ${name}\ndate: 2026-11-20\n${media}---\n\nThe body.\n`;
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

/** A PNG's signature and header (width × height), the rest of its `bytes` zeros. */
function writePicture(path: string, width: number, height: number, bytes: number): void {
  const header = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'ascii');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  header.set([8, 6, 0, 0, 0], 24);
  writeFileSync(path, header);
  truncateSync(path, bytes);
}

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

  it("keeps a picture's width and height too: an unchanged picture is not read at all", () => {
    const { root, db, resolve } = project();
    const picture = join(root, 'articles', 'picture.png');
    writePicture(picture, 1200, 800, 2 * MiB);
    const imageOf = (result: ReturnType<typeof resolveMedia>) => result.articles[0]?.media?.resolved?.image;
    const articles = () => story('picture', 'picture.png', 'image');
    const first = resolve(articles());
    expect(imageOf(first.result)).toMatchObject({ width: 1200, height: 800, length: 2 * MiB });
    // Measured from the chunk its hashing read: its head is not read a second time (+512 KB).
    expect(first.read).toBeLessThan(2 * MiB + 64 * 1024);
    // Measuring reads the picture's first 512 KB: a second build that measured again would show it.
    const second = resolve(articles());
    expect(second.read).toBeLessThan(64 * 1024);
    expect(imageOf(second.result)).toEqual(imageOf(first.result));
    // A new picture of the same size is hashed and measured again.
    writePicture(picture, 640, 480, 2 * MiB);
    expect(imageOf(resolve(articles()).result)).toMatchObject({ width: 640, height: 480 });
    expect(imageOf(resolve(articles()).result)).toMatchObject({ width: 640, height: 480 });
    // A damaged size is measured again, not published.
    db.prepare('UPDATE media_digest SET width = -3').run();
    const repaired = resolve(articles());
    expect(repaired.read).toBeGreaterThanOrEqual(2 * MiB);
    expect(imageOf(repaired.result)).toMatchObject({ width: 640, height: 480 });
  });

  it('drops a table from before the sizes were kept, and hashes once more', () => {
    const { db, resolve } = project();
    db.exec(
      'CREATE TABLE media_digest (path TEXT PRIMARY KEY, stamp TEXT NOT NULL, hash TEXT NOT NULL, size INTEGER NOT NULL)',
    );
    expect(resolve().read).toBeGreaterThanOrEqual(EPISODE);
    expect(resolve().read).toBeLessThan(MiB);
  });
});
