import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCacheFile } from '../../src/state/cache.ts';
import { openState } from '../../src/state/db.ts';
import { tempDir } from '../helpers/temp.ts';

// paths.state or paths.cache naming an article by a slip: SQLite said "file is not a database",
// naming no file. The error names the file and the settings to check; the file is untouched.

const ARTICLE = 'Council Approves Budget\n\nIn This Article\nHIGHLIGHTS\n- h\nBody.\n';

describe('a state or cache path that names a file that is not a database', () => {
  it.each([
    ['state', openState],
    ['cache', openCacheFile],
  ])('opening it as the %s names the file, and leaves it as it was', (_, open) => {
    const dir = tempDir('bs-notadb-');
    const path = join(dir, 'article.txt');
    writeFileSync(path, ARTICLE);
    expect(() => open(path)).toThrow(
      expect.objectContaining({
        code: 'SQLITE_NOTADB',
        message: `${path} is not a SQLite database (check paths.state and paths.cache in the config); it was left as it is`,
      }),
    );
    expect(readFileSync(path, 'utf8')).toBe(ARTICLE);
    expect(readdirSync(dir)).toEqual(['article.txt']);
  });
});
