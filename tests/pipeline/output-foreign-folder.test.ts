import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputFolderError, writeOutputs } from '../../src/pipeline/output.ts';
import { tempDir } from '../helpers/temp.ts';

// A build adopts a real folder at paths.out as its live build, and the builds after it remove
// whatever they did not write. With paths.out pointing at the articles folder (by mistake, or an
// absolute path the config check cannot compare), one build deleted all 26 sample articles.
// Only a folder a build wrote (its manifest) or an empty one is adopted now; anything else stops
// the build before a thing is changed.

const SAMPLES = resolve(import.meta.dirname, '../../articles');

/** Every file under `dir` with its bytes, to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = join(dir, name);
    if (lstatSync(path).isFile()) files[name] = readFileSync(path, 'base64');
  }
  return files;
}

describe('a folder at paths.out that no build wrote', () => {
  it('the articles folder is refused, left byte for byte, with nothing made beside it', () => {
    const root = tempDir('bs-foreign-out-');
    const articles = join(root, 'articles');
    cpSync(SAMPLES, articles, { recursive: true });
    const before = snapshot(articles);
    expect(() => writeOutputs(articles, [{ path: 'index.html', contents: 'home' }])).toThrow(
      OutputFolderError,
    );
    expect(() => writeOutputs(articles, [{ path: 'index.html', contents: 'home' }])).toThrow(
      /articles is a folder Broadsheet did not write \(2026-10-01-council-budget-first-reading\.txt, .*, …; no \.broadsheet-manifest\.json\).*the folder was left as it was/,
    );
    expect(lstatSync(articles).isDirectory()).toBe(true);
    expect(snapshot(articles)).toEqual(before);
    expect(readdirSync(root)).toEqual(['articles']);
  });

  it('a gh-pages checkout (a .git folder) is refused too', () => {
    const out = join(tempDir('bs-foreign-git-'), 'out');
    mkdirSync(join(out, '.git'), { recursive: true });
    writeFileSync(join(out, '.git', 'HEAD'), 'ref: refs/heads/gh-pages\n');
    expect(() => writeOutputs(out, [{ path: 'index.html', contents: 'home' }])).toThrow(/\(\.git; no /);
    expect(readFileSync(join(out, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/gh-pages\n');
  });

  it('an empty folder, or one with hidden files only (a checkout’s out/.gitkeep), is taken', () => {
    const out = join(tempDir('bs-empty-out-'), 'out');
    mkdirSync(out);
    writeFileSync(join(out, '.gitkeep'), '');
    writeOutputs(out, [{ path: 'index.html', contents: 'home' }]);
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('home');
    expect(existsSync(join(dirname(out), '.out.builds'))).toBe(true);
  });
});
