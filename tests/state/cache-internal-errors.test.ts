import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestResult, SourceFile } from '../../src/ingest/index.ts';
import { openParseCache } from '../../src/state/cache.ts';
import { openState, type StateDb } from '../../src/state/db.ts';
import { tempDir } from '../helpers/temp.ts';

const OPTIONS = { maxFileBytes: 1_000_000, timeZone: 'America/New_York' };
const FILE: SourceFile = { path: 'articles/a.txt', bytes: new TextEncoder().encode('whatever') };

let dir: string;
let db: StateDb;
beforeEach(() => {
  dir = tempDir('broadsheet-cache-internal-');
  db = openState(join(dir, 'state.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the parse cache and parser bugs', () => {
  it('does not keep a parse that ended in an internal error: the fixed parser must see the file again', () => {
    const failed: IngestResult = {
      articles: [],
      diagnostics: [
        { severity: 'error', code: 'ingest/internal', file: FILE.path, line: 1, message: 'boom' },
      ],
    };
    const cache = openParseCache(db, OPTIONS);
    cache.store(FILE, failed);
    cache.flush();
    expect(openParseCache(db, OPTIONS).lookup(FILE)).toBeUndefined();
  });

  it('keeps a parse whose errors are the input’s fault (they are the same next time)', () => {
    const refused: IngestResult = {
      articles: [],
      diagnostics: [
        { severity: 'error', code: 'ingest/not-an-article', file: FILE.path, line: 1, message: 'x' },
      ],
    };
    const cache = openParseCache(db, OPTIONS);
    cache.store(FILE, refused);
    cache.flush();
    const reopened = openParseCache(db, OPTIONS);
    const found = reopened.lookup(FILE);
    expect(found && reopened.withText(found)).toEqual(refused);
  });
});
