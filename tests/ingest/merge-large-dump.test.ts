import { describe, expect, it } from 'vitest';
import { parseText } from './helpers.ts';

// A dump file of thousands of articles is ordinary (FORMAT.md: several articles back to back).
// The within-file merge used to compare every article's title with every earlier one, which
// took ~40 s for 8,000 articles; grouped by title it is linear. Checked here for behaviour:
// copies far apart in a large dump still merge, and nothing else does.
function article(n: number, byline = ''): string {
  return [
    `Story number ${n} on the harbour`,
    '',
    'In This Article',
    `${byline}HIGHLIGHTS`,
    `- highlight ${n}`,
    `Body paragraph of story ${n}, with enough words to be a paragraph.`,
    'Related Articles',
    '',
    `Other story ${n}`,
  ].join('\n');
}

describe('a dump file with thousands of articles', () => {
  it('merges a copy placed thousands of articles after the first, keeping every other article', () => {
    const count = 6000;
    const parts = Array.from({ length: count }, (_, n) => article(n));
    parts.push(article(0, 'Ethan Brooks| Published '));
    const { articles, diagnostics } = parseText(`${parts.join('\n')}\n`, 'dump.txt', {
      maxFileBytes: 8 * 1024 * 1024,
    });
    expect(diagnostics).toEqual([]);
    expect(articles).toHaveLength(count);
    expect(articles[0]?.authors).toEqual(['Ethan Brooks']);
    expect(articles[0]?.sources.map((s) => s.startLine)).toEqual([1, count * 9 + 1]);
    expect(articles[1]?.title).toBe('Story number 1 on the harbour');
    expect(articles.at(-1)?.title).toBe(`Story number ${count - 1} on the harbour`);
    expect(articles.filter((a) => a.mergedFrom.length > 0)).toHaveLength(1);
  });
});
