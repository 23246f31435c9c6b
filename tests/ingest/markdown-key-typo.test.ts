import { describe, expect, it } from 'vitest';
import { parseFixture } from './helpers.ts';

describe('a misspelt front matter key', () => {
  it('is ignored with a warning that names the key it was probably meant to be', () => {
    const { articles, diagnostics } = parseFixture('markdown-key-typos.md');
    expect(articles[0]?.authors).toEqual([]);
    expect(diagnostics.map((d) => [d.line, d.message])).toEqual([
      [3, 'unknown front matter key "authr" ignored; did you mean author?'],
      [4, 'unknown front matter key "titel" ignored; did you mean title?'],
      // Nothing close: no guess.
      [5, 'unknown front matter key "photographer" ignored'],
    ]);
  });
});
