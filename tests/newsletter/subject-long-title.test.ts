import { describe, expect, it } from 'vitest';
import { editionForTopics } from '../../src/newsletter/index.ts';
import { makeEdition, makeItem, testConfig } from './helpers.ts';

// A title of thousands of characters (a paragraph an export ran into the title line) went into
// the subject whole: a 6.5 KB Subject header. The lead in a subject is cut at a word instead;
// a headline of ordinary length is untouched, and a topic edition still swaps in its own lead.

const politics = { slug: 'politics', name: 'Politics' };
const sport = { slug: 'sport', name: 'Sport' };
const config = testConfig({
  feeds: { topics: [{ name: 'Sport', slug: 'sport' }, { name: 'Politics' }] },
  newsletter: { subject: '{site}: {lead}' },
});
const words = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');

describe('an edition subject whose lead title is far too long', () => {
  it('cuts the lead at a word, with an ellipsis, within 150 characters', () => {
    const long = words('Budget', 800);
    const e = makeEdition([makeItem({ title: long, topics: [politics] })], config);
    const lead = e.subject.slice('The Daily Ledger: '.length);
    expect(e.subject.startsWith('The Daily Ledger: Budget0 Budget1 ')).toBe(true);
    expect(lead.length).toBeLessThanOrEqual(150);
    expect(lead.endsWith('…')).toBe(true);
    expect(long.startsWith(lead.slice(0, -1))).toBe(true);
    expect(long.charAt(lead.length - 1)).toBe(' ');
  });

  it('leaves an ordinary headline as it is', () => {
    const title =
      'Council Approves Harbor Plan After a Long Night of Debate Over Ferry Schedules and Budgets';
    expect(makeEdition([makeItem({ title })], config).subject).toBe(`The Daily Ledger: ${title}`);
  });

  it('a topic edition swaps in its own lead, cut the same way', () => {
    const e = makeEdition(
      [
        makeItem({ title: words('Vote', 600), topics: [politics], published: '2026-11-23T18:00:00-05:00' }),
        makeItem({ title: words('Cup', 600), topics: [sport], published: '2026-11-23T17:00:00-05:00' }),
      ],
      config,
    );
    const sportOnly = editionForTopics(e, ['sport']);
    expect(sportOnly?.subject.startsWith('The Daily Ledger: Cup0 Cup1 ')).toBe(true);
    expect(sportOnly?.subject).not.toContain('Vote');
    expect(sportOnly?.subject.length).toBeLessThanOrEqual('The Daily Ledger: '.length + 150);
  });
});
