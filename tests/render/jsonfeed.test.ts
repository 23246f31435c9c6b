import { describe, expect, it } from 'vitest';
import type { JsonFeed } from '../../src/render/jsonfeed.ts';
import { HOSTILE_TITLE, renderSampleSite, sampleItems, siteInfo } from './fixtures/index.ts';

const items = sampleItems();
const text = renderSampleSite(items).get('feed.json') ?? '';
const feed = JSON.parse(text) as JsonFeed;

describe('JSON Feed 1.1', () => {
  it('declares version 1.1 with authors as an array and a language', () => {
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.title).toBe('Harbor City Ledger');
    expect(feed.home_page_url).toBe('https://news.example.com/');
    expect(feed.feed_url).toBe('https://news.example.com/feed.json');
    expect(feed.language).toBe('en');
    expect(feed.authors).toEqual([{ name: 'Ledger Newsroom', url: 'https://news.example.com/about' }]);
    expect(feed).not.toHaveProperty('author');
  });

  it('gives each item its id, url, RFC 3339 dates, authors, tags, summary and content', () => {
    expect(feed.items.map((i) => i.id)).toEqual(items.map((i) => i.id));
    const commuters = feed.items.find((i) => i.url.includes('what-the-vote-means'));
    expect(commuters).toMatchObject({
      title: 'Harbor Bridge: What the Vote Means for Commuters',
      date_published: '2025-07-26T12:30:00Z',
      date_modified: '2025-07-26T12:30:00Z',
      authors: [{ name: 'Maria Chen' }, { name: 'Ethan Brooks' }],
      tags: ['Transport'],
      summary: 'Commuters crossing the harbor will wait a few more years.',
      language: 'en',
    });
    expect(commuters?.content_html).toContain(
      '<a href="https://news.example.com/articles/city-council-approves-harbor-bridge-budget/">',
    );
    const bridge = feed.items.find((i) => i.url.includes('city-council'));
    expect(bridge?.external_url).toBe('https://publisher.example/news/harbor-bridge-budget');
  });

  it('keeps a hostile title as the exact text (JSON needs no HTML escaping in title)', () => {
    const hostile = feed.items.find((i) => i.id.includes('tom-jerry'));
    expect(hostile?.title).toBe(HOSTILE_TITLE);
    expect(hostile?.content_html).not.toMatch(/<script|<iframe|<img/);
  });

  it('lists a WebSub hub when configured', () => {
    expect(feed.hubs).toBeUndefined();
    const hubbed = JSON.parse(
      renderSampleSite(items, { site: siteInfo({ hub: 'https://hub.example.com/' }) }).get('feed.json') ?? '',
    ) as JsonFeed;
    expect(hubbed.hubs).toEqual([{ type: 'WebSub', url: 'https://hub.example.com/' }]);
  });
});
