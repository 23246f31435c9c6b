import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { decodeEntities, HOSTILE_TITLE, renderSampleSite, sampleItems, siteInfo } from './fixtures/index.ts';

const items = sampleItems();
const xml = renderSampleSite(items).get('rss.xml') ?? '';
const tree = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => name === 'item' || name === 'atom:link',
}).parse(xml);
const channel = tree.rss.channel;
const RFC822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;

describe('RSS 2.0 feed', () => {
  it('is well-formed XML that points a browser at the feed stylesheet', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?><\?xml-stylesheet href="\/feed.xsl" type="text\/xsl"\?>/,
    );
  });

  it('describes the channel, with a self link equal to its own URL', () => {
    expect(channel.title).toBe('Harbor City Ledger');
    expect(channel.link).toBe('https://news.example.com/');
    expect(channel.language).toBe('en');
    expect(channel['atom:link']).toEqual([
      { '@href': 'https://news.example.com/history/2026-11.xml', '@rel': 'prev-archive' },
      { '@href': 'https://news.example.com/rss.xml', '@rel': 'self', '@type': 'application/rss+xml' },
    ]);
    expect(channel.lastBuildDate).toMatch(RFC822);
  });

  it('lists every item newest first with a stable non-permalink guid and RFC 822 dates', async () => {
    const feed = await new Parser().parseString(xml);
    expect(feed.items.map((i) => i.guid)).toEqual(items.map((i) => i.id));
    expect(channel.item.map((i: { guid: { '@isPermaLink': string } }) => i.guid['@isPermaLink'])).toEqual(
      items.map(() => 'false'),
    );
    for (const [n, entry] of channel.item.entries()) {
      expect(entry.pubDate).toMatch(RFC822);
      expect(Date.parse(entry.pubDate)).toBe(Date.parse(items[n]?.published ?? ''));
    }
    expect(feed.items.map((i) => i.link)).toEqual(items.map((i) => i.url));
  });

  it('names authors with one dc:creator and never an RSS <author>', () => {
    const commuters = channel.item.find((i: { link: string }) => i.link.includes('what-the-vote-means'));
    expect(commuters['dc:creator']).toBe('Maria Chen and Ethan Brooks');
    expect(xml).not.toMatch(/<author>/);
  });

  it('carries the full story in content:encoded: highlights, body, analysis and related links', async () => {
    const feed = await new Parser().parseString(xml);
    const bridge = feed.items.find((i) => i.title === 'City Council Approves Harbor Bridge Budget');
    const html = bridge?.['content:encoded'] as string;
    expect(html).toContain('<ul>\n<li>The council voted 7-2 for the plan</li>');
    expect(html).toContain('<p>The city council approved the harbor bridge budget on Friday.</p>');
    expect(html).toContain('<h2>What this might mean</h2>\n<p>Commuters may see relief by 2028.</p>');
    expect(html).toContain(
      '<li><a href="https://news.example.com/articles/harbor-bridge-what-the-vote-means-for-commuters/">Harbor bridge: what the vote means for commuters</a></li>',
    );
    expect(html).toContain('<li>A story we do not have</li>');
    expect(bridge?.content).toBe('The council voted 7-2 for the plan. Construction starts in spring.');
    expect(bridge?.categories).toEqual(['Transport', 'City Hall']);
  });

  it('keeps a hostile title text: escaped so that readers show it and nothing runs', async () => {
    const feed = await new Parser().parseString(xml);
    const hostile = feed.items.find((i) => i.guid?.includes('tom-jerry'));
    // rss-parser reads XML literally; an HTML-reading client decodes once more.
    expect(decodeEntities(hostile?.title ?? '')).toBe(HOSTILE_TITLE);
    expect(hostile?.title).not.toContain('<');
    expect(xml).not.toMatch(/<script|<b>|<img|<iframe/);
    expect(xml).toContain('<dc:creator>O&#x27;Brien &#x26; &#x3C;Sons&#x3E;</dc:creator>');
  });

  it('writes plain titles as text with hexadecimal references, as the RSS profile asks', () => {
    const site = renderSampleSite(sampleItems([{ ...sampleItemsArticle(), title: 'AT&T buys "Harbor" Co' }]));
    const rss = site.get('rss.xml') ?? '';
    expect(rss).toContain('<title>AT&#x26;T buys &#x22;Harbor&#x22; Co</title>');
    const parsed = new XMLParser({ htmlEntities: true }).parse(rss);
    expect(parsed.rss.channel.item.title).toBe('AT&T buys "Harbor" Co');
  });

  it('escapes a title that reads like an HTML entity, so HTML-reading clients show it as typed', () => {
    const site = renderSampleSite(sampleItems([{ ...sampleItemsArticle(), title: 'Write &amp; as & > 2' }]));
    expect(site.get('rss.xml')).toContain('<title><![CDATA[Write &#x26;amp; as &#x26; &#x3E; 2]]></title>');
  });

  it('gives a story with no text its title as content, so dc:creator keeps its namespace', () => {
    const bare = { ...sampleItemsArticle(), title: 'Only a title', authors: ['Ana Kim'], body: [] };
    const rss = renderSampleSite(sampleItems([bare])).get('rss.xml') ?? '';
    expect(rss).toContain('xmlns:dc="http://purl.org/dc/elements/1.1/"');
    expect(rss).toContain('<content:encoded><![CDATA[<p>Only a title</p>]]></content:encoded>');
  });

  it('links to a WebSub hub when one is configured', () => {
    expect(xml).not.toContain('rel="hub"');
    const site = renderSampleSite(items, { site: siteInfo({ hub: 'https://hub.example.com/' }) });
    expect(site.get('rss.xml')).toContain('<atom:link href="https://hub.example.com/" rel="hub"/>');
  });
});

function sampleItemsArticle() {
  return {
    title: 'x',
    authors: [],
    published: '2026-11-01T10:00:00Z',
    updated: null,
    highlights: [],
    body: ['Body.'],
    analysis: [],
    related: [],
    tags: [],
    canonicalUrl: null,
    format: 'text' as const,
    sources: [{ file: 'articles/x.txt', startLine: 1, endLine: 2 }],
    mergedFrom: [],
  };
}
