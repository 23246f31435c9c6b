import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inFolder } from '../../src/pipeline/in-folder.ts';
import { tempDir } from '../helpers/temp.ts';

// The no-change check stats files relative to their folder (in-folder.ts): the working
// directory must always come back, and a folder it cannot enter is reached by its full path.

describe('inFolder', () => {
  it('reaches files by name inside the folder and puts the working directory back', () => {
    const folder = tempDir('bs-in-folder-');
    writeFileSync(join(folder, 'page.html'), 'x');
    const before = process.cwd();
    const seen = inFolder(folder, (reach) => ({
      reach,
      cwd: process.cwd(),
      found: existsSync(`${reach}page.html`),
    }));
    expect(seen).toEqual({ reach: '', cwd: realpathSync(folder), found: true });
    expect(process.cwd()).toBe(before);
  });

  it('puts the working directory back when the visit throws', () => {
    const before = process.cwd();
    expect(() =>
      inFolder(tempDir('bs-in-folder-'), () => {
        throw new Error('stop');
      }),
    ).toThrow('stop');
    expect(process.cwd()).toBe(before);
  });

  it('gives the full path for a folder it cannot enter, or a relative one', () => {
    const missing = join(tempDir('bs-in-folder-'), 'gone');
    expect(inFolder(missing, (reach) => reach)).toBe(`${missing}${sep}`);
    expect(inFolder('articles', (reach) => reach)).toBe(`articles${sep}`);
  });
});
