import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArticles } from '../../src/pipeline/read.ts';
import { tempDir } from '../helpers/temp.ts';
import { OPTIONS } from '../ingest/helpers.ts';

const dir = tempDir('broadsheet-read-huge-');

// One file can yield more articles and diagnostics than a function call takes arguments:
// `push(...list)` with 200,000 of them overflowed the call stack and crashed the whole run.
const COUNT = 200_000;

describe('readArticles on one file holding 200,000 tiny articles', () => {
  it('returns every article and every diagnostic instead of crashing the run', () => {
    // No body: each article is an article (distinct titles) and a warning (empty body).
    const text = Array.from({ length: COUNT }, (_, i) => `T${i}\n\nIn This Article\n`).join('');
    writeFileSync(join(dir, 'dump.txt'), text);
    const read = readArticles([dir], { ...OPTIONS, maxFileBytes: 16 * 1024 * 1024 });
    expect(read.articles).toHaveLength(COUNT);
    expect(read.articles.at(-1)?.title).toBe(`T${COUNT - 1}`);
    expect(read.diagnostics).toHaveLength(COUNT);
    expect(read.diagnostics.every((d) => d.code === 'ingest/empty-body')).toBe(true);
  });
});
