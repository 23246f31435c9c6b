import { describe, expect, it } from 'vitest';
import { markdownToText, summarize, truncateAtWord } from '../../src/normalize/index.ts';

describe('summary', () => {
  it('is the highlights as sentences when there are any', () => {
    expect(summarize(['Council votes 7-2', 'Work starts in spring.'], ['Body.'], 'text')).toBe(
      'Council votes 7-2. Work starts in spring.',
    );
  });

  it('is the lead paragraph otherwise', () => {
    expect(summarize([], ['', 'The lead paragraph.', 'Second.'], 'text')).toBe('The lead paragraph.');
  });

  it('is the text of a Markdown lead, without markup or URLs', () => {
    expect(
      summarize(
        [],
        ['Stocks **rose** after the [bank](https://bank.example) held <b>rates</b>.'],
        'markdown',
      ),
    ).toBe('Stocks rose after the bank held rates.');
    expect(markdownToText('# Heading\n\n- one\n- two')).toMatch(/Heading\s+one\s+two/);
  });

  it('is cut at a word with an ellipsis when long', () => {
    const long = 'word '.repeat(200).trim();
    const summary = summarize([], [long], 'text');
    expect(summary.length).toBeLessThanOrEqual(400);
    expect(summary.endsWith('word…')).toBe(true);
  });

  it('leaves no hyphen or comma before the ellipsis where the cut falls after one', () => {
    // The cut falls inside "well-known" with no space past half the limit: the text is cut there.
    expect(truncateAtWord('A well-known name', 8)).toBe('A well…');
    expect(truncateAtWord('abcdefghij-klmnop', 12)).toBe('abcdefghij…');
    expect(truncateAtWord('Prices, rents, wages and more', 15)).toBe('Prices, rents…');
  });
});
