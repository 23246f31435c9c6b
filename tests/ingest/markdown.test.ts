import { describe, expect, it } from 'vitest';
import { codes, parseFixture } from './helpers.ts';

describe('Markdown with YAML front matter', () => {
  it('reads every front matter field and splits the body into Markdown blocks', () => {
    const { articles, diagnostics } = parseFixture('markdown-front-matter.md');
    expect(diagnostics).toEqual([]);
    const [article] = articles;
    expect(article).toMatchObject({
      title: 'Sea Wall Study Says Harbor Front Needs Two More Feet',
      authors: ['Ines Carvalho', 'Farid Haddad'],
      // YAML reads `2026-11-02` as UTC midnight; we read the text, so it is midnight in New York.
      published: '2026-11-02T00:00:00-05:00',
      updated: '2026-11-03T09:30:00-05:00',
      highlights: [
        'Engineers recommend raising the sea wall by two feet by 2040.',
        'The first phase would cost about $60 million.',
      ],
      related: ['Storm Drains Get an Upgrade Before Winter', "Harbor City's Climate Plan: What Changed"],
      tags: ['climate', 'city-hall'],
      canonicalUrl: 'https://ledger.example.com/2026/11/sea-wall-study',
      format: 'markdown',
      sources: [{ file: 'fixtures/markdown-front-matter.md', startLine: 1, endLine: 34 }],
      mergedFrom: [],
    });
    expect(article?.body).toHaveLength(3);
    expect(article?.body[0]).toBe(
      'A study commissioned by the city recommends raising the **Harbor Front** sea wall by two feet\nover the next fifteen years.',
    );
    // A fenced code block stays one block, blank line included.
    expect(article?.body[2]).toMatch(/^```\nscenario[\s\S]*\n\nhigh +2\.6 ft\n```$/);
    expect(article?.analysis).toEqual([
      'Waterfront property owners could face a new assessment district to share the cost.',
      'The council is expected to take up the study in January.',
    ]);
  });

  it('title from a leading "# " heading; related titles from a "## Related articles" list', () => {
    const { articles, diagnostics } = parseFixture('markdown-title-heading.md');
    expect(diagnostics).toEqual([]);
    expect(articles[0]?.title).toBe('Volunteers Plant 500 Trees Along the River Trail');
    expect(articles[0]?.body).toHaveLength(2);
    expect(articles[0]?.related).toEqual([
      'Parks Department Budget Grows by 3 Percent',
      'Another Title We Do Not Have',
    ]);
    expect(articles[0]?.published).toBeNull();
  });

  it('accepts `author` ("A and B"), `canonical`, a comma list of tags and any date style', () => {
    const result = parseFixture('markdown-canonical-author.md');
    expect(result.articles[0]).toMatchObject({
      authors: ['Yuki Tanabe', 'Luis Okafor'],
      published: '2026-11-12T22:20:00-05:00',
      tags: ['science', 'space'],
      canonicalUrl: 'https://ledger.example.com/2026/11/new-comet',
    });
    // An unknown key is likely a typo: say so, with its line.
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'ingest/unknown-front-matter-key', line: 7 }),
    ]);
  });

  it('bad YAML is an error naming the file and the line', () => {
    const result = parseFixture('markdown-bad-yaml.md');
    expect(result.articles).toEqual([]);
    expect(codes(result)).toEqual(['error:ingest/bad-front-matter']);
    expect(result.diagnostics[0]).toMatchObject({ file: 'fixtures/markdown-bad-yaml.md', line: 5 });
    expect(result.diagnostics[0]?.message).toMatch(/invalid YAML front matter/);
  });

  it('front matter that is never closed is an error on line 1, not a silent guess', () => {
    const result = parseFixture('markdown-unclosed-front-matter.md');
    expect(result.articles).toEqual([]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'ingest/bad-front-matter', line: 1 }),
    ]);
    expect(result.diagnostics[0]?.message).toMatch(/never closed/);
  });

  it('an impossible date is a warning on its line and stays null (YAML would roll it into 2027)', () => {
    const result = parseFixture('markdown-impossible-date.md');
    expect(result.articles[0]?.published).toBeNull();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'ingest/bad-date', line: 3 }),
    ]);
  });
});
