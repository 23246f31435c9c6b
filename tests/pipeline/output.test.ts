import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEGACY_MANIFEST, liveManifestPath, writeOutputs } from '../../src/pipeline/output.ts';
import { tempDir } from '../helpers/temp.ts';

const freshDir = () => join(tempDir('bs-out-'), 'out');

describe('writeOutputs', () => {
  it('writes nested files and reports counts', () => {
    const out = freshDir();
    const summary = writeOutputs(out, [
      { path: 'rss.xml', contents: '<rss/>' },
      { path: 'articles/a/index.html', contents: new TextEncoder().encode('<p>a</p>') },
    ]);
    expect(summary).toEqual({ written: 2, unchanged: 0, removed: 0, rendered: 0 });
    expect(readFileSync(join(out, 'rss.xml'), 'utf8')).toBe('<rss/>');
    expect(readFileSync(join(out, 'articles/a/index.html'), 'utf8')).toBe('<p>a</p>');
  });

  it('leaves files with unchanged bytes untouched, so their mtime stays', () => {
    const out = freshDir();
    writeOutputs(out, [
      { path: 'rss.xml', contents: 'same' },
      { path: 'atom.xml', contents: 'a1' },
    ]);
    const before = statSync(join(out, 'rss.xml'), { bigint: true });
    const summary = writeOutputs(out, [
      { path: 'rss.xml', contents: 'same' },
      { path: 'atom.xml', contents: 'a2' },
    ]);
    expect(summary).toMatchObject({ unchanged: 1, written: 1 });
    const after = statSync(join(out, 'rss.xml'), { bigint: true });
    expect(after.mtimeNs).toBe(before.mtimeNs);
    expect(after.ino).toBe(before.ino);
  });

  it('rewrites a file changed behind its back even when the manifest says it is current', () => {
    const out = freshDir();
    writeOutputs(out, [{ path: 'feed.json', contents: '{"a":1}' }]);
    writeFileSync(join(out, 'feed.json'), 'truncated');
    writeOutputs(out, [{ path: 'feed.json', contents: '{"a":1}' }]);
    expect(readFileSync(join(out, 'feed.json'), 'utf8')).toBe('{"a":1}');
  });

  it('rewrites a file edited behind its back to the same size, whose render key still matches', () => {
    const out = freshDir();
    const page = (text: string) => ({ path: 'rss.xml', key: 'k1', render: () => text });
    writeOutputs(out, [page('title A')]);
    // What a killed build of the old layout left: another build's bytes, same size, same key.
    writeFileSync(join(out, 'rss.xml'), 'title B');
    const summary = writeOutputs(out, [page('title A')]);
    expect(summary).toMatchObject({ written: 1, rendered: 1 });
    expect(readFileSync(join(out, 'rss.xml'), 'utf8')).toBe('title A');
  });

  it('publishes a build whole: a reader holding the old out/ path sees the old files, the next open the new', () => {
    const out = freshDir();
    writeOutputs(out, [
      { path: 'index.html', contents: 'one' },
      { path: 'rss.xml', contents: 'one' },
    ]);
    const liveBefore = realpathSync(out);
    writeOutputs(out, [
      { path: 'index.html', contents: 'two' },
      { path: 'rss.xml', contents: 'two' },
    ]);
    expect(realpathSync(out)).not.toBe(liveBefore);
    expect(existsSync(liveBefore)).toBe(false);
    expect(readFileSync(join(out, 'index.html'), 'utf8') + readFileSync(join(out, 'rss.xml'), 'utf8')).toBe(
      'twotwo',
    );
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
  });

  it("adopts an out/ folder of the older layout, dropping a killed build's temp files", () => {
    const out = freshDir();
    mkdirSync(join(out, 'a'), { recursive: true });
    writeFileSync(join(out, 'a/.0123abcd-7.tmp'), 'half');
    writeFileSync(join(out, 'a/page.html'), 'old');
    // Every older layout kept its manifest in out/: what marks the folder as one a build wrote.
    writeFileSync(join(out, LEGACY_MANIFEST), JSON.stringify({ 'a/page.html': 'oldhash' }));
    writeOutputs(out, [{ path: 'a/page.html', contents: 'new' }]);
    expect(readdirSync(join(out, 'a'))).toEqual(['page.html']);
    expect(readFileSync(join(out, 'a/page.html'), 'utf8')).toBe('new');
  });

  it('moves the outbox of the older default (out/outbox) beside out/ when it adopts out/, so no mail is lost', () => {
    const out = freshDir();
    mkdirSync(join(out, 'outbox/2026-11-24'), { recursive: true });
    writeFileSync(join(out, 'outbox/2026-11-24/000001-a@example.com.eml'), 'To: a@example.com');
    writeFileSync(join(out, LEGACY_MANIFEST), '{}');
    writeOutputs(out, [{ path: 'index.html', contents: 'i' }]);
    writeOutputs(out, [{ path: 'index.html', contents: 'i2' }]);
    expect(existsSync(join(out, 'outbox'))).toBe(false);
    expect(readFileSync(join(out, '../outbox/2026-11-24/000001-a@example.com.eml'), 'utf8')).toBe(
      'To: a@example.com',
    );
  });

  it('removes files the previous build wrote and this one did not, and the folders they leave empty', () => {
    const out = freshDir();
    writeOutputs(out, [
      { path: 'articles/old/index.html', contents: 'old' },
      { path: 'index.html', contents: 'i' },
    ]);
    const summary = writeOutputs(out, [{ path: 'index.html', contents: 'i2' }]);
    expect(summary.removed).toBe(1);
    expect(existsSync(join(out, 'articles/old/index.html'))).toBe(false);
    expect(existsSync(join(out, 'articles'))).toBe(false);
  });

  it('leaves no temp files behind, written or failed', () => {
    const out = freshDir();
    writeOutputs(out, [
      { path: 'a/b.txt', contents: 'x' },
      { path: 'a/c.txt', contents: 'y' },
      { path: 'top.txt', contents: 'z' },
    ]);
    expect(readdirSync(join(out, 'a'))).toEqual(['b.txt', 'c.txt']);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(() =>
      writeOutputs(out, [
        { path: 'a/b.txt', contents: 'changed' },
        { path: 'a/d.txt', contents: 'new' },
        { path: 'a/b.txt', contents: 'twice' },
      ]),
    ).toThrow(/same path/);
    expect(readdirSync(join(out, 'a'))).toEqual(['b.txt', 'c.txt']);
    expect(readFileSync(join(out, 'a/b.txt'), 'utf8')).toBe('x');
  });

  it('records every output in the manifest, one line each, in the order written', () => {
    const out = freshDir();
    // Enough outputs for a manifest of several 64 KB chunks.
    const outputs = Array.from({ length: 2_000 }, (_, n) => ({
      path: `articles/story-${String(n).padStart(4, '0')}/index.html`,
      key: `key-${n}`,
      render: () => `<p>${n}</p>`,
    }));
    writeOutputs(out, outputs);
    const text = readFileSync(liveManifestPath(out) ?? '', 'utf8');
    expect(text.length).toBeGreaterThan(3 * 65_536);
    const lines = text.split('\n');
    expect(lines[0]).toBe('{');
    expect(lines.slice(-2)).toEqual(['}', '']);
    expect(lines).toHaveLength(outputs.length + 3);
    const manifest = JSON.parse(text) as Record<string, { key: string; size: number }>;
    expect(Object.keys(manifest)).toEqual(outputs.map((o) => o.path));
    expect(manifest['articles/story-1999/index.html']).toMatchObject({ key: 'key-1999', size: 11 });
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('refuses two outputs with one path and paths that leave the folder, before writing anything', () => {
    const out = freshDir();
    expect(() =>
      writeOutputs(out, [
        { path: 'x', contents: '1' },
        { path: 'x', contents: '2' },
      ]),
    ).toThrow(/same path/);
    expect(existsSync(join(out, 'x'))).toBe(false);
    expect(() => writeOutputs(out, [{ path: '../evil', contents: '1' }])).toThrow(/escapes/);
    expect(existsSync(join(out, '..', 'evil'))).toBe(false);
  });
});
