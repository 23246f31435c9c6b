import { describe, expect, it } from 'vitest';
import { editionForTopics, editionItems } from '../../src/newsletter/index.ts';
import { makeEdition, makeItem, testConfig } from './helpers.ts';

const politics = { slug: 'politics', name: 'Politics' };
const sport = { slug: 'sport', name: 'Sport' };
const config = testConfig({
  feeds: { topics: [{ name: 'Sport', slug: 'sport' }, { name: 'Politics' }] },
  newsletter: { subject: '{site} · {date}: {lead} (+{count})' },
});

function edition() {
  return makeEdition(
    [
      makeItem({ title: 'Lead on budget', topics: [politics], published: '2026-11-23T18:00:00-05:00' }),
      makeItem({ title: 'Vote tonight', topics: [politics], published: '2026-11-23T17:00:00-05:00' }),
      makeItem({ title: 'Cup final', topics: [sport, politics], published: '2026-11-23T16:00:00-05:00' }),
      makeItem({ title: 'Weather', topics: [], published: '2026-11-23T15:00:00-05:00' }),
    ],
    config,
  );
}

describe('the Edition model', () => {
  it('leads with the newest story and groups the rest by topic in configured order, untagged last', () => {
    const e = edition();
    expect(e.lead.title).toBe('Lead on budget');
    expect(e.sections.map((s) => s.topic?.slug ?? null)).toEqual(['sport', 'politics', null]);
    expect(e.sections.map((s) => s.items.map((i) => i.title))).toEqual([
      ['Cup final'],
      ['Vote tonight'],
      ['Weather'],
    ]);
  });

  it('fills the subject pattern and writes a preheader from the lead', () => {
    const e = edition();
    expect(e.subject).toBe('The Daily Ledger · Monday, November 23, 2026: Lead on budget (+4)');
    expect(e.preheader).toBe(
      'The council voted 7-2 to add two early sailings on weekdays from January. (+3 more stories)',
    );
    expect(e.url).toBe('https://news.example.com/newsletter/2026-11-23/');
  });

  it('keeps one untitled section when no story has a topic', () => {
    const e = makeEdition([makeItem(), makeItem(), makeItem()]);
    expect(e.sections).toHaveLength(1);
    expect(e.sections[0]?.topic).toBeNull();
  });
});

describe('editionForTopics', () => {
  it('gives everything to a subscriber without preferences', () => {
    const e = edition();
    expect(editionForTopics(e, [])).toBe(e);
  });

  it('keeps only stories in the chosen topics and promotes a new lead when the lead is filtered out', () => {
    const sportOnly = editionForTopics(edition(), ['sport']);
    expect(sportOnly && editionItems(sportOnly).map((i) => i.title)).toEqual(['Cup final']);
    expect(sportOnly?.subject).toContain('Cup final');
    expect(sportOnly?.subject).not.toContain('Lead on budget');
    expect(sportOnly?.preheader).not.toContain('more stor');
  });

  it('keeps the lead when it matches', () => {
    const p = editionForTopics(edition(), ['politics']);
    expect(p?.lead.title).toBe('Lead on budget');
    expect(p && editionItems(p).map((i) => i.title)).toEqual(['Lead on budget', 'Cup final', 'Vote tonight']);
  });

  it('returns null when nothing in the edition matches', () => {
    expect(editionForTopics(edition(), ['science'])).toBeNull();
  });
});
