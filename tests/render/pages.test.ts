import { describe, expect, it } from 'vitest';
import { article, findExecutableMarkup, renderSampleSite, sampleItems } from './fixtures/index.ts';

const files = renderSampleSite();
const index = files.get('index.html') ?? '';
const bridge = files.get('articles/city-council-approves-harbor-bridge-budget/index.html') ?? '';
const markets = files.get('articles/markets-rally-after-rate-decision/index.html') ?? '';

describe('pages', () => {
  it('declare language, viewport, and announce the feeds for discovery', () => {
    expect(index).toMatch(/^<!doctype html>\n<html lang="en" dir="ltr">/);
    expect(index).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(index).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Harbor City Ledger (RSS)" href="rss.xml">',
    );
    expect(index).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Harbor City Ledger (Atom)" href="atom.xml">',
    );
    expect(index).toContain(
      '<link rel="alternate" type="application/feed+json" title="Harbor City Ledger (JSON Feed)" href="feed.json">',
    );
    expect(bridge).toContain('href="../../rss.xml"');
  });

  it('front page lists the latest stories and links every feed', () => {
    expect(index).toContain(
      '<a href="articles/city-council-approves-harbor-bridge-budget/">City Council Approves Harbor Bridge Budget</a>',
    );
    for (const dir of ['', 'topics/transport/', 'topics/city-hall/', 'authors/maria-chen/']) {
      for (const file of ['rss.xml', 'atom.xml', 'feed.json'])
        expect(index).toContain(`href="${dir}${file}"`);
    }
    expect(index).toContain('href="feeds.opml"');
  });

  it('an article page shows byline, date, story, related links relative to the page', () => {
    expect(bridge).toContain('<h1>City Council Approves Harbor Bridge Budget</h1>');
    expect(bridge).toContain(
      'By Ethan Brooks · <time datetime="2025-07-25T14:00:00Z">Jul 25, 2025, 10:00 AM EDT</time>',
    );
    expect(bridge).toContain('<a href="../../articles/harbor-bridge-what-the-vote-means-for-commuters/">');
    expect(bridge).toContain('<li>A story we do not have</li>');
    expect(bridge).toContain('<h2>What this might mean</h2>');
  });

  it('shows a date given without a time as the day alone', () => {
    const site = renderSampleSite(
      sampleItems([article({ title: 'Day only', published: '2026-11-01T00:00:00-04:00' })]),
    );
    expect(site.get('articles/day-only/index.html')).toContain(
      '<time datetime="2026-11-01T04:00:00Z">Nov 1, 2026</time>',
    );
  });

  it('an article with a canonical URL names it, in rel=canonical and as a visible link', () => {
    expect(bridge).toContain(
      '<link rel="canonical" href="https://publisher.example/news/harbor-bridge-budget">',
    );
    expect(bridge).toContain(
      'Originally published at <a href="https://publisher.example/news/harbor-bridge-budget">publisher.example</a>',
    );
    expect(markets).toContain(
      '<link rel="canonical" href="https://news.example.com/articles/markets-rally-after-rate-decision/">',
    );
    expect(markets).not.toContain('Originally published');
  });

  it('carry no scripts and a policy that would block one', () => {
    for (const [path, html] of files) {
      if (!path.endsWith('.html')) continue;
      expect(findExecutableMarkup(html), path).toBeNull();
      expect(html, path).toContain(
        'content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src &#39;self&#39; https: data:; media-src &#39;self&#39; https:"',
      );
    }
  });
});
