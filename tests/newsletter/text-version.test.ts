import { describe, expect, it } from 'vitest';
import { renderEditionText, UNSUBSCRIBE_URL_PLACEHOLDER } from '../../src/newsletter/index.ts';
import { makeEdition, makeItem, testConfig } from './helpers.ts';

const config = testConfig({ feeds: { topics: [{ name: 'City Hall', slug: 'city-hall' }] } });
const cityHall = { slug: 'city-hall', name: 'City Hall' };

function text(): string {
  const longUrl = `https://news.example.com/articles/${'a-very-long-slug-'.repeat(6)}/`;
  return renderEditionText(
    makeEdition(
      [
        makeItem({
          title: 'Harbour ferry schedule approved',
          authors: ['Maria Lopez', 'Sam Chen'],
          slug: 'ferry',
        }),
        makeItem({
          title: 'Library opens on Sundays',
          topics: [cityHall],
          slug: 'library',
          published: '2026-11-23T00:00:00-05:00',
          related: [
            { title: 'Budget passes', url: 'https://news.example.com/articles/budget/', itemId: 'b' },
            { title: 'An article we do not have', url: null, itemId: null },
          ],
        }),
        makeItem({ title: 'Long link story', slug: 'long', url: longUrl, topics: [cityHall] }),
      ],
      config,
    ),
    config,
  );
}

describe('the plain-text part', () => {
  it('has underlined headings for the site, the top story and each topic', () => {
    const lines = text().split('\n');
    const underlined = lines.flatMap((line, i) => (/^[=-]{3,}$/.test(lines[i + 1] ?? '') ? [line] : []));
    expect(underlined).toEqual(['The Daily Ledger', 'Top story', 'City Hall']);
  });

  it('lists stories and highlights as bullets with bylines and dates in the publication zone', () => {
    const t = text();
    expect(t).toContain(
      'HARBOUR FERRY SCHEDULE APPROVED\nBy Maria Lopez and Sam Chen · Nov 23, 2026, 9:30 AM EST',
    );
    expect(t).toContain('* Library opens on Sundays\n  By Maria Lopez · Nov 23, 2026\n');
    expect(t).toMatch(
      /\n {2}- The council voted 7-2 to add two early sailings on weekdays from\n {4}January\.\n/,
    );
  });

  it('writes links as bare URLs: web view, read-more, resolved related only, unsubscribe placeholder', () => {
    const t = text();
    expect(t).toContain(
      'Read this edition in your browser:\nhttps://news.example.com/newsletter/2026-11-23/',
    );
    expect(t).toContain('Read more: https://news.example.com/articles/library/');
    expect(t).toContain('  Related:\n  - Budget passes\n    https://news.example.com/articles/budget/');
    expect(t).not.toContain('An article we do not have');
    expect(t).toContain(`Unsubscribe:\n${UNSUBSCRIBE_URL_PLACEHOLDER}`);
    expect(t).toContain('12 Harbour Road, Portland');
  });

  it('wraps at 72 columns and never breaks a URL', () => {
    const t = text();
    const longLines = t.split('\n').filter((line) => [...line].length > 72);
    expect(longLines.length).toBeGreaterThan(0);
    for (const line of longLines) expect(line).toMatch(/^\s*(Read more: )?https:\/\/\S+$/);
    expect(t).not.toContain('<');
  });
});

describe('the plain-text story count', () => {
  it('says "1 story" for a one-story edition and "2 stories" for two', () => {
    const one = renderEditionText(
      makeEdition([makeItem({ title: 'Only story', slug: 'only' })], config),
      config,
    );
    const two = renderEditionText(
      makeEdition(
        [makeItem({ title: 'First', slug: 'first' }), makeItem({ title: 'Second', slug: 'second' })],
        config,
      ),
      config,
    );
    expect(one).toMatch(/· 1 story\b/);
    expect(one).not.toMatch(/1 stories/);
    expect(two).toMatch(/· 2 stories\b/);
  });
});
