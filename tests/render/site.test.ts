import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { normalizeArticles } from '../../src/normalize/index.ts';
import { article, renderSampleSite, sampleArticles, sampleItems } from './fixtures/index.ts';

const feedFiles = (dir: string) => [`${dir}rss.xml`, `${dir}atom.xml`, `${dir}feed.json`];
const feedSet = (dir: string) => [...feedFiles(dir), `${dir}index.html`];

describe('site layout', () => {
  const files = renderSampleSite();

  it('writes the main feeds, one feed set per topic and per author, pages, OPML and the stylesheet', () => {
    expect([...files.keys()].sort()).toEqual(
      [
        ...feedFiles(''),
        ...feedSet('topics/city-hall/'),
        ...feedSet('topics/r-d-lab/'),
        ...feedSet('topics/transport/'),
        ...feedSet('authors/ethan-brooks/'),
        ...feedSet('authors/maria-chen/'),
        ...feedSet('authors/obrien-sons/'),
        '404.html',
        'index.html',
        'articles/city-council-approves-harbor-bridge-budget/index.html',
        'articles/harbor-bridge-what-the-vote-means-for-commuters/index.html',
        'articles/markets-rally-after-rate-decision/index.html',
        'articles/script-alert-1-script-tom-jerry-quoted-b-bold-b/index.html',
        'feeds.opml',
        'feed.xsl',
        // RFC 5005 monthly archives, the sitemaps and robots.txt (feed-history.test.ts).
        'history/2026-11.xml',
        'history/2025-07.xml',
        'sitemap.xml',
        'sitemaps/pages.xml',
        'sitemaps/2026-11.xml',
        'sitemaps/2025-07.xml',
        'robots.txt',
      ].sort(),
    );
  });

  it("gives every feed a home page: each feed's site link resolves to a file we write", () => {
    for (const path of files.keys()) {
      if (!path.endsWith('rss.xml')) continue;
      const home = new XMLParser().parse(files.get(path) ?? '').rss.channel.link as string;
      const page = `${new URL(home).pathname.slice(1)}index.html`;
      expect(files.has(page), `${path} → ${home}`).toBe(true);
    }
    expect(files.get('topics/transport/index.html')).toContain('<h1>Transport</h1>');
    expect(files.get('topics/transport/index.html')).toContain(
      '<a href="../../articles/harbor-bridge-what-the-vote-means-for-commuters/">',
    );
  });

  it('puts only matching stories in a topic feed, with a self link to that feed', () => {
    const transport = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'item' }).parse(
      files.get('topics/transport/rss.xml') ?? '',
    ).rss.channel;
    expect(transport.title).toBe('Harbor City Ledger: Transport');
    expect(transport.item.map((i: { title: string }) => i.title)).toEqual([
      'Harbor Bridge: What the Vote Means for Commuters',
      'City Council Approves Harbor Bridge Budget',
    ]);
    expect(transport['atom:link']['@_href']).toBe('https://news.example.com/topics/transport/rss.xml');
  });

  it('builds topic feeds from config rules too', () => {
    const rules = configSchema.parse({
      feeds: { topics: [{ name: 'Markets', keywords: ['stocks', 'rate decision'] }] },
    }).feeds.topics;
    const items = normalizeArticles(sampleArticles(), {
      baseUrl: 'https://news.example.com/',
      now: '2026-11-24T15:00:00Z',
      known: [],
      topicRules: rules,
    }).items;
    const site = renderSampleSite(items);
    const markets = JSON.parse(site.get('topics/markets/feed.json') ?? '{}');
    expect(markets.items.map((i: { title: string }) => i.title)).toEqual([
      'Markets Rally After Rate Decision',
    ]);
  });

  it('leaves out author feeds when config turns them off', () => {
    const site = renderSampleSite(sampleItems(), { authorFeeds: false });
    expect([...site.keys()].some((p) => p.startsWith('authors/'))).toBe(false);
  });

  it('keeps the latest N items per feed, newest first, and lists the rest in an archive page', () => {
    const many = Array.from({ length: 7 }, (_, n) =>
      article({ title: `Story ${n}`, published: `2026-11-0${n + 1}T10:00:00Z`, tags: ['Busy'] }),
    );
    const site = renderSampleSite(sampleItems(many), { feedLimit: 5 });
    const titles = (path: string) =>
      JSON.parse(site.get(path) ?? '{}').items.map((i: { title: string }) => i.title);
    expect(titles('feed.json')).toEqual(['Story 6', 'Story 5', 'Story 4', 'Story 3', 'Story 2']);
    expect(titles('topics/busy/feed.json')).toHaveLength(5);
    expect(site.get('index.html')).toContain('<a href="archive/">All 7 stories</a>');
    // All seven were published in November 2026 (New York): one month page lists them.
    expect(site.get('archive/index.html')).toContain('<a href="2026/11/">November 2026</a> (7 stories)');
    expect(site.get('archive/2026/11/index.html')).toContain(
      '<a href="../../../articles/story-0/">Story 0</a>',
    );
  });

  it('lists every feed in OPML 2.0', () => {
    const opml = files.get('feeds.opml') ?? '';
    expect(XMLValidator.validate(opml)).toBe(true);
    const outlines = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      htmlEntities: true,
    }).parse(opml).opml.body.outline;
    expect(outlines).toHaveLength(7);
    expect(outlines[0]).toEqual({
      type: 'rss',
      text: 'Harbor City Ledger',
      title: 'Harbor City Ledger',
      xmlUrl: 'https://news.example.com/rss.xml',
      htmlUrl: 'https://news.example.com/',
    });
    expect(outlines.map((o: { text: string }) => o.text)).toContain('Harbor City Ledger: R&D <lab>');
  });

  it('ships a well-formed XSLT stylesheet that both feeds reference', () => {
    expect(XMLValidator.validate(files.get('feed.xsl') ?? '')).toBe(true);
    expect(files.get('atom.xml')).toContain('<?xml-stylesheet href="/feed.xsl" type="text/xsl"?>');
    const nested = renderSampleSite(sampleItems(), { site: siteIn('https://example.org/news/') });
    expect(nested.get('rss.xml')).toContain('<?xml-stylesheet href="/news/feed.xsl" type="text/xsl"?>');
  });
});

function siteIn(baseUrl: string) {
  return {
    title: 'T',
    description: 'D',
    baseUrl,
    language: 'en',
    timeZone: 'UTC',
    author: { name: 'A' },
    now: '2026-11-24T15:00:00Z',
  };
}
