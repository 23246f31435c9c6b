import { describe, expect, it } from 'vitest';
import { mergeCopiesInFile } from '../../src/ingest/merge.ts';
import type { Article } from '../../src/types.ts';

function article(line: number, title: string, body: string[], authors: string[] = []): Article {
  return {
    title,
    authors,
    published: null,
    updated: null,
    highlights: [],
    body,
    analysis: [],
    related: [],
    tags: [],
    canonicalUrl: null,
    format: 'text',
    sources: [{ file: 'dump.txt', startLine: line, endLine: line + 1 }],
    mergedFrom: [],
  };
}

// The paragraphs of a headline's first story are only keyed when a second article arrives under
// the same headline: whatever comes second (a copy with no body, a copy, another story), every
// later article must still be compared with every story before it.
describe('copies under one headline, in any order', () => {
  const story = ['Rain on Monday, heavier in the hills.', 'Wind from the west.'];
  const other = ['A different story entirely.', 'With its own paragraphs.'];

  it('a bodiless copy, then a copy, then another story', () => {
    const merged = mergeCopiesInFile([
      article(1, 'Weather Update', story),
      article(3, 'WEATHER update!', []),
      article(5, 'Weather — update', ['RAIN on Monday, heavier in the hills'], ['Ana Ruiz']),
      article(7, 'Weather Update', other),
      article(9, 'Weather Update', [other[1] as string]),
    ]);
    expect(merged).toHaveLength(2);
    expect(merged[0]?.body).toEqual(story);
    expect(merged[0]?.authors).toEqual(['Ana Ruiz']);
    expect(merged[0]?.mergedFrom.map((s) => s.startLine)).toEqual([3, 5]);
    expect(merged[1]?.body).toEqual(other);
    expect(merged[1]?.mergedFrom.map((s) => s.startLine)).toEqual([9]);
  });

  it('another story first, then copies of each', () => {
    const merged = mergeCopiesInFile([
      article(1, 'Weather Update', story),
      article(3, 'Weather Update', other),
      article(5, 'Weather Update', other),
      article(7, 'Weather Update', story),
      article(9, 'Unrelated', story),
    ]);
    expect(merged.map((a) => a.sources.map((s) => s.startLine))).toEqual([[1, 7], [3, 5], [9]]);
  });

  it('a story with no body first: every later article under the headline is its copy', () => {
    const merged = mergeCopiesInFile([
      article(1, 'Weather Update', []),
      article(3, 'Weather Update', story),
      article(5, 'Weather Update', other),
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.body).toEqual(story);
  });
});
