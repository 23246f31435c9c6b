import { describe, expect, it } from 'vitest';
import { storyView } from '../../src/newsletter/view.ts';
import { article, renderSampleSite, sampleItems, siteInfo } from './fixtures/index.ts';

describe('a byline with three authors', () => {
  const items = sampleItems([
    article({
      title: 'Port Strike Ends',
      authors: ['Ana Ruiz', 'Ben Okoro', 'Chen Wei'],
      published: '2026-11-20T08:00:00Z',
    }),
  ]);
  const page = (language: string) =>
    renderSampleSite(items, { site: siteInfo({ language }) }).get('articles/port-strike-ends/index.html') ??
    '';
  const rss = (language: string) =>
    renderSampleSite(items, { site: siteInfo({ language }) }).get('rss.xml') ?? '';

  it('reads the same on the page, in the feed and in the newsletter', () => {
    const email = storyView(items[0] as (typeof items)[number], 'America/New_York', 'en').byline;
    expect(page('en')).toContain(`By ${email} · `);
    expect(rss('en')).toContain(`<dc:creator>${email}</dc:creator>`);
  });

  it('is joined in the site language', () => {
    expect(page('fr')).toContain('Par Ana Ruiz, Ben Okoro et Chen Wei · ');
    expect(rss('fr')).toContain('<dc:creator>Ana Ruiz, Ben Okoro et Chen Wei</dc:creator>');
  });
});
