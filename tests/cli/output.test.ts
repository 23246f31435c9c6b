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
import { writeOutputs } from '../../src/cli/output.ts';

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

  it('leaves no temp files behind', () => {
    const out = freshDir();
    writeOutputs(out, [{ path: 'a/b.txt', contents: 'x' }]);
    expect(readdirSync(join(out, 'a'))).toEqual(['b.txt']);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
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
