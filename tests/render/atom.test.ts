import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { article, HOSTILE_TITLE, renderSampleSite, sampleItems, siteInfo } from './fixtures/index.ts';

const items = sampleItems();
const xml = renderSampleSite(items).get('atom.xml') ?? '';
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  htmlEntities: true,
  isArray: (name) => ['entry', 'link', 'author', 'category'].includes(name),
});
const feed = parser.parse(xml).feed;
type Link = { '@rel'?: string; '@href': string; '@title'?: string };
type Entry = {
  id: string;
  title: { '#text': string; '@type': string };
  published: string;
  updated: string;
  link: Link[];
  author?: { name: string }[];
  summary: { '#text': string };
  content: { '#text': string; '@type': string };
};
const entries: Entry[] = feed.entry;
const entryFor = (slug: string) => entries.find((e) => e.id.endsWith(`:${slug}`));
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe('Atom 1.0 feed', () => {
  it('is well-formed, has a language, a stable id and alternate, self links', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(feed['@xml:lang']).toBe('en');
    expect(feed.id).toBe('https://news.example.com/atom.xml');
    expect(feed.link).toEqual([
      { '@rel': 'prev-archive', '@href': 'https://news.example.com/history/2026-11.xml' },
      { '@rel': 'alternate', '@href': 'https://news.example.com/' },
      { '@rel': 'self', '@href': 'https://news.example.com/atom.xml' },
    ]);
    expect(feed.author).toEqual([
      { name: 'Ledger Newsroom', email: 'news@example.com', uri: 'https://news.example.com/about' },
    ]);
    expect(feed.updated).toMatch(RFC3339);
  });

  it('gives every entry its stable id, RFC 3339 published/updated and a link to our page', () => {
    expect(entries.map((e) => e.id)).toEqual(items.map((i) => i.id));
    for (const [n, entry] of entries.entries()) {
      expect(entry.published).toMatch(RFC3339);
      expect(entry.updated).toMatch(RFC3339);
      expect(Date.parse(entry.published)).toBe(Date.parse(items[n]?.published ?? ''));
      // Same second as the item's updated date; the milliseconds keep entries distinct (below).
      expect(Math.floor(Date.parse(entry.updated) / 1000)).toBe(
        Math.floor(Date.parse(items[n]?.updated ?? '') / 1000),
      );
      expect(entry.link[0]).toEqual({ '@href': items[n]?.url });
    }
  });

  it('never gives two entries the same atom:updated, and gives an entry the same value in every feed', () => {
    const sameDay = Array.from({ length: 40 }, (_, n) =>
      article({ title: `Undated story ${n}`, tags: ['Busy'] }),
    );
    const site = renderSampleSite(sampleItems(sameDay));
    const updatedOf = (path: string) =>
      new Map<string, string>(
        parser.parse(site.get(path) ?? '').feed.entry.map((e: Entry) => [e.id, e.updated]),
      );
    const main = updatedOf('atom.xml');
    expect(new Set(main.values()).size).toBe(40);
    for (const value of main.values()) expect(value.startsWith('2026-11-24T15:00:00.')).toBe(true);
    const topic = updatedOf('topics/busy/atom.xml');
    for (const [id, value] of topic) expect(value).toBe(main.get(id));
    expect(updatedOf('atom.xml')).toEqual(main);
  });

  it('lists each author of a co-written story', () => {
    expect(entryFor('harbor-bridge-what-the-vote-means-for-commuters')?.author).toEqual([
      { name: 'Maria Chen' },
      { name: 'Ethan Brooks' },
    ]);
    // No byline: the feed-level author covers the entry (RFC 4287 4.1.1).
    expect(entryFor('markets-rally-after-rate-decision')?.author).toBeUndefined();
  });

  it('links related stories we have with rel="related", and the publisher copy with rel="via"', () => {
    const bridge = entryFor('city-council-approves-harbor-bridge-budget');
    expect(bridge?.link.slice(1)).toEqual([
      {
        '@rel': 'related',
        '@type': 'text/html',
        '@href': 'https://news.example.com/articles/harbor-bridge-what-the-vote-means-for-commuters/',
        '@title': 'Harbor bridge: what the vote means for commuters',
      },
      { '@rel': 'via', '@type': 'text/html', '@href': 'https://publisher.example/news/harbor-bridge-budget' },
    ]);
    // The placeholder element that carried the links is gone; only the feed's own rights remain.
    expect(xml.match(/<rights>/g)).toEqual(['<rights>']);
    expect(feed.rights).toBe('© 2026 Harbor City Ledger');
  });

  it('has an HTML summary and content', () => {
    const bridge = entryFor('city-council-approves-harbor-bridge-budget');
    expect(bridge?.summary['#text']).toBe(
      'The council voted 7-2 for the plan. Construction starts in spring.',
    );
    expect(bridge?.content['@type']).toBe('html');
    expect(bridge?.content['#text']).toContain('<h2>Related</h2>');
  });

  it('reads back in rss-parser with the hostile title intact as text', async () => {
    const parsed = await new Parser().parseString(xml);
    expect(parsed.items).toHaveLength(items.length);
    const hostile = entries.find((e) => e.id.includes('tom-jerry'));
    expect(hostile?.title['@type']).toBe('html');
    // type="html": the value is HTML; decoding it once gives the exact text.
    expect(new XMLParser({ htmlEntities: true }).parse(`<t>${hostile?.title['#text']}</t>`).t).toBe(
      HOSTILE_TITLE,
    );
    expect(xml).not.toMatch(/<script|<b>|<img|<iframe/);
  });

  it('links to a WebSub hub when one is configured', () => {
    expect(xml).not.toContain('rel="hub"');
    const hubbed = renderSampleSite(items, { site: siteInfo({ hub: 'https://hub.example.com/' }) }).get(
      'atom.xml',
    );
    expect(hubbed).toContain('<link rel="hub" href="https://hub.example.com/"/>');
  });
});

describe('Atom related links', () => {
  it('leave out a title that looks like markup, keeping the link', () => {
    const items = sampleItems([
      article({ title: 'Plain target', published: '2026-11-01T10:00:00Z' }),
      article({ title: 'Source', related: ['<b>Plain</b> target'], published: '2026-11-02T10:00:00Z' }),
    ]);
    const xml = renderSampleSite(items).get('atom.xml') ?? '';
    expect(xml).toContain(
      '<link rel="related" type="text/html" href="https://news.example.com/articles/plain-target/"/>',
    );
  });
});
