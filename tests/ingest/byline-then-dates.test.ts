import { describe, expect, it } from 'vitest';
import { parseFixture, parseText } from './helpers.ts';

// docs/format.md allows the byline on its own line with the dates on the next; such a story once
// came out undated, with its byline, marker and highlights as body text, and led a newsletter.
describe('byline on its own line, `Updated … | Published …` on the next', () => {
  it('then HIGHLIGHTS: authors, both dates and the highlights are read; the body is only the body', () => {
    const { articles, diagnostics } = parseFixture('byline-then-dates-then-highlights.txt');
    expect(diagnostics).toEqual([]);
    const [article] = articles;
    expect(article?.authors).toEqual(['Ines Carvalho', 'Farid Haddad']);
    expect(article?.published).toBe('2026-10-20T00:00:00-04:00');
    expect(article?.updated).toBe('2026-10-21T08:15:00-04:00');
    expect(article?.highlights).toEqual([
      'Route N4 runs every 30 minutes from midnight to 5 a.m.',
      'The loop stops at the ferry terminal for the first time.',
    ]);
    expect(article?.body).toEqual([
      'The Harbor Transit Authority restored overnight service on the harbor loop on Monday after a two-year pause.',
      'Drivers were hired from the regional pool, the authority said.',
    ]);
    expect(article?.related).toEqual(['Ferry Fares Hold Steady for Winter Season']);
  });

  it('with no HIGHLIGHTS marker: the byline and date are read, the body starts after them', () => {
    const { articles, diagnostics } = parseFixture('byline-then-dates-no-highlights.txt');
    expect(diagnostics).toEqual([]);
    const [article] = articles;
    expect(article?.authors).toEqual(['Mira Castellanos']);
    expect(article?.published).toBe('2026-10-22T09:41:00-04:00');
    expect(article?.highlights).toEqual([]);
    // A body line that starts with "Updated" stays a paragraph.
    expect(article?.body).toHaveLength(2);
    expect(article?.body[1]).toMatch(/^Updated figures/);
  });

  it('HIGHLIGHTS sharing the dates line: the bullets are highlights', () => {
    const text = [
      'Harbor Ferry Adds a Dawn Sailing',
      '',
      'In This Article',
      'Lea Brandt',
      'Updated Oct. 24, 2026 at 7:05 a.m. ET | Published October 23, 2026  HIGHLIGHTS',
      '- The first boat leaves at 5:30.',
      'The ferry operator added a dawn sailing on Friday.',
    ].join('\n');
    const { articles, diagnostics } = parseText(text);
    expect(diagnostics).toEqual([]);
    expect(articles[0]).toMatchObject({
      authors: ['Lea Brandt'],
      published: '2026-10-23T00:00:00-04:00',
      updated: '2026-10-24T07:05:00-04:00',
      highlights: ['The first boat leaves at 5:30.'],
      body: ['The ferry operator added a dawn sailing on Friday.'],
    });
  });
});
