import { describe, expect, it } from 'vitest';
import { parseText } from './helpers.ts';

// An export whose blank line after the title was lost reads its first paragraph as the title:
// the story went out with a title of hundreds of characters in every feed, page and subject,
// and nothing said so. It is kept as read, with a warning at its title line.

const paragraph =
  'The council voted late on Tuesday to approve the harbor plan, after a debate that ran past midnight and drew ' +
  'more than two hundred residents to the chamber, many of them ferry commuters who asked for earlier sailings, ' +
  'a new shelter at the north pier and a promise that fares would not rise before the spring.';

describe('a title far longer than a headline', () => {
  it('is kept, with a warning naming its length at its line', () => {
    const text = `Short One\n\nIn This Article\nHIGHLIGHTS\n- h\nBody.\n${paragraph}\n\nIn This Article\nHIGHLIGHTS\n- h\nBody two.\n`;
    const result = parseText(text, 'dump.txt');
    expect(result.articles.map((a) => a.title.length)).toEqual(['Short One'.length, paragraph.length]);
    expect(paragraph.length).toBeGreaterThan(250);
    expect(result.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'ingest/long-title',
        file: 'dump.txt',
        line: 7,
        message: `the title is ${paragraph.length} characters long, more than any headline: is the blank line after the real title missing? (published as read)`,
      },
    ]);
  });

  it('a long headline of 250 characters says nothing', () => {
    const title = 'A'.repeat(250);
    expect(parseText(`${title}\n\nIn This Article\nHIGHLIGHTS\n- h\nBody.\n`, 'a.txt').diagnostics).toEqual(
      [],
    );
  });
});
