import { afterEach, describe, expect, it } from 'vitest';
import { parseText } from './helpers.ts';

// gray-matter reads the front matter's language from the opening line and, for `---js`,
// evaluates the block with `eval`: an article file (from a scraper, an export, a contributor)
// ran code in the build, beside the SMTP and database credentials. Only data is read now.

const MARK = '__broadsheetFrontMatterRan';
const ran = () => (globalThis as Record<string, unknown>)[MARK] === true;
afterEach(() => {
  delete (globalThis as Record<string, unknown>)[MARK];
});

/** Front matter that, evaluated, sets the mark and names a title. */
const CODE = `{ title: (function () { globalThis.${MARK} = true; return 'Ran'; })() }`;

describe('front matter in a language that runs code', () => {
  it.each([
    ['---js', 'js'],
    ['---javascript', 'javascript'],
    ['--- JS ', 'JS'],
    ['\uFEFF---js', 'js'],
    ['---coffee', 'coffee'],
    ['---constructor', 'constructor'],
  ])('%j is refused with an error on line 1, and nothing runs', (opener, language) => {
    const result = parseText(`${opener}\n${CODE}\n---\n\nBody.\n`, 'story.md');
    expect(ran()).toBe(false);
    expect(result.articles).toEqual([]);
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'ingest/bad-front-matter',
        file: 'story.md',
        line: 1,
        message: `front matter in "${language}" is not read: only YAML (a plain "---" line) or JSON ("---json")`,
      },
    ]);
  });

  it('YAML (plain or named) and JSON are read as before', () => {
    const yaml = parseText('---\ntitle: Plain\n---\n\nBody.\n', 'a.md');
    const named = parseText('---yaml\ntitle: Named\n---\n\nBody.\n', 'b.md');
    const json = parseText('---json\n{ "title": "Json" }\n---\n\nBody.\n', 'c.md');
    expect([yaml, named, json].map((r) => r.articles.map((a) => a.title))).toEqual([
      ['Plain'],
      ['Named'],
      ['Json'],
    ]);
    // A Markdown rule of four dashes opens no front matter.
    const rule = parseText('----\n\n# A Title\n\nBody.\n', 'd.md');
    expect(rule.diagnostics.filter((d) => d.code === 'ingest/bad-front-matter')).toEqual([]);
  });
});
