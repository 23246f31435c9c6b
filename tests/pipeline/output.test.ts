import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST, writeOutputs } from '../../src/pipeline/output.ts';

const freshDir = () => mkdtempSync(join(tmpdir(), 'bs-out-'));

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
    writeOutputs(out, [{ path: 'rss.xml', contents: 'same' }]);
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(out, 'rss.xml'), old, old);
    const summary = writeOutputs(out, [{ path: 'rss.xml', contents: 'same' }]);
    expect(summary.unchanged).toBe(1);
    expect(statSync(join(out, 'rss.xml')).mtime.toISOString()).toBe(old.toISOString());
  });

  it('rewrites a file changed behind its back even when the manifest says it is current', () => {
    const out = freshDir();
    writeOutputs(out, [{ path: 'feed.json', contents: '{"a":1}' }]);
    writeFileSync(join(out, 'feed.json'), 'truncated');
    writeOutputs(out, [{ path: 'feed.json', contents: '{"a":1}' }]);
    expect(readFileSync(join(out, 'feed.json'), 'utf8')).toBe('{"a":1}');
  });

  it('removes files the previous build wrote and this one did not, but keeps protected ones', () => {
    const out = freshDir();
    writeOutputs(out, [
      { path: 'articles/old/index.html', contents: 'old' },
      { path: 'outbox/x.eml', contents: 'mail' },
      { path: 'index.html', contents: 'i' },
    ]);
    const summary = writeOutputs(out, [{ path: 'index.html', contents: 'i2' }], (p) =>
      p.startsWith('outbox/'),
    );
    expect(summary.removed).toBe(1);
    expect(existsSync(join(out, 'articles/old/index.html'))).toBe(false);
    expect(existsSync(join(out, 'outbox/x.eml'))).toBe(true);
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
    const text = readFileSync(join(out, MANIFEST), 'utf8');
    expect(text.length).toBeGreaterThan(3 * 65_536);
    const lines = text.split('\n');
    expect(lines[0]).toBe('{');
    expect(lines.slice(-2)).toEqual(['}', '']);
    expect(lines).toHaveLength(outputs.length + 3);
    const manifest = JSON.parse(text) as Record<string, { key: string; size: number }>;
    expect(Object.keys(manifest)).toEqual(outputs.map((o) => o.path));
    expect(manifest['articles/story-1999/index.html']).toMatchObject({ key: 'key-1999', size: 11 });
    expect(readdirSync(out).filter((f) => f.startsWith('.') && f !== MANIFEST)).toEqual([]);
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
