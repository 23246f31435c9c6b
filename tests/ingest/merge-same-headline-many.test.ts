import { describe, expect, it } from 'vitest';
import { parseText } from './helpers.ts';

// Thousands of different stories under one headline ("Weather Update") in one dump: each must
// stay its own article, and a copy must still find the one story it repeats, wherever it is.
function story(n: number, byline = ''): string {
  return [
    'Weather Update',
    '',
    'In This Article',
    `${byline}HIGHLIGHTS`,
    `Rain on day ${n}, heavier in the hills.`,
    `Wind from the west on day ${n}.`,
  ].join('\n');
}

describe('many stories sharing one headline in a dump', () => {
  it('stay apart, and a copy merges into the story whose paragraphs it shares', () => {
    const count = 5000;
    const parts = Array.from({ length: count }, (_, n) => story(n));
    parts.push(story(3210, 'Ana Ruiz| Published '));
    const { articles, diagnostics } = parseText(`${parts.join('\n')}\n`, 'weather.txt', {
      maxFileBytes: 8 * 1024 * 1024,
    });
    expect(diagnostics).toEqual([]);
    expect(articles).toHaveLength(count);
    const merged = articles.filter((a) => a.mergedFrom.length > 0);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.body[0]).toBe('Rain on day 3210, heavier in the hills.');
    expect(merged[0]?.authors).toEqual(['Ana Ruiz']);
    expect(articles[3210]).toBe(merged[0]);
  });
});
