import { describe, expect, it } from 'vitest';
import {
  renderEditionEmail,
  renderEditionWebView,
  UNSUBSCRIBE_URL_PLACEHOLDER,
} from '../../src/newsletter/index.ts';
import { makeEdition, makeItem, makeItems, shippedTemplates, testConfig } from './helpers.ts';

const config = testConfig({
  site: { language: 'en-GB', timeZone: 'Europe/London' },
  feeds: { topics: [{ name: 'Economy' }] },
});

function edition() {
  const [lead, second, ...rest] = makeItems(5, '2026-11-23T20:00:00.000Z');
  return makeEdition(
    [
      { ...(lead ?? makeItem()), title: 'Lead story', highlights: ['H1', 'H2', 'H3', 'H4', 'H5', 'H6'] },
      {
        ...(second ?? makeItem()),
        topics: [{ slug: 'economy', name: 'Economy' }],
        related: [
          { title: 'Resolved related', url: 'https://news.example.com/articles/resolved/', itemId: 'x' },
          { title: 'Unresolved related', url: null, itemId: null },
        ],
      },
      ...rest,
    ],
    config,
  );
}

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');

describe('email content', () => {
  it('has the lead with all its highlights, every story’s byline, date in the publication zone and read-more link', async () => {
    const { html } = await renderEditionEmail(edition(), config, shippedTemplates());
    for (const h of ['H1', 'H2', 'H3', 'H4', 'H5', 'H6'])
      expect(html).toContain(`<li style="margin:0 0 6px;">${h}</li>`);
    // 20:00 UTC is 20:00 GMT in London in November; en-GB writes the day first.
    expect(html).toContain('By Maria Lopez · 23 Nov 2026, 20:00 GMT');
    expect(html).toContain(
      'href="https://news.example.com/articles/story-002/" style="font-weight:600;">Read more</a>',
    );
  });

  it('shows topic sections, and related links only where they resolve', async () => {
    const { html } = await renderEditionEmail(edition(), config, shippedTemplates());
    expect(html).toMatch(/<h2[^>]*>Economy<\/h2>/);
    expect(html).toMatch(/<h2[^>]*>More news<\/h2>/);
    expect(html).toContain('<a href="https://news.example.com/articles/resolved/">Resolved related</a>');
    expect(html).not.toContain('Unresolved related');
  });

  it('has the footer: why, postal address, view-in-browser and the unsubscribe placeholder', async () => {
    const { html, subject, preheader } = await renderEditionEmail(edition(), config, shippedTemplates());
    expect(html).toContain(
      'You are receiving this because you subscribed to the newsletter from The Daily Ledger.',
    );
    expect(html).toContain('The Daily Ledger, 12 Harbour Road, Portland, ME 04101, USA');
    expect(html).toContain(
      `href="https://news.example.com/newsletter/2026-11-23/" style="color:#4b5560;">View in your browser`,
    );
    expect(html).toContain(`href="${UNSUBSCRIBE_URL_PLACEHOLDER}"`);
    expect(html).toContain('href="%%PREFERENCES_URL%%" style="color:#4b5560;">Manage your subscription</a>');
    expect(subject).toBe('The Daily Ledger: Lead story');
    expect(html).toContain(`>${preheader}</div>`);
  });

  it('is inbox-ready: lang, colour-scheme meta tags, dark-mode styles, absolute links, no images without alt', async () => {
    const { html } = await renderEditionEmail(edition(), config, shippedTemplates());
    expect(html).toMatch(/<html lang="en-GB"/);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('<meta name="supported-color-schemes" content="light dark">');
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    for (const href of hrefs(html))
      expect(href).toMatch(/^(https:\/\/|%%UNSUBSCRIBE_URL%%$|%%PREFERENCES_URL%%$)/);
    for (const img of html.match(/<img\b[^>]*>/g) ?? []) expect(img).toMatch(/\balt="[^"]+"/);
  });

  it('web view has no placeholder and says how to manage the subscription instead', async () => {
    const html = await renderEditionWebView(edition(), config, shippedTemplates());
    expect(html).not.toContain('%%');
    expect(html).toContain(
      'To change or end your subscription, use the link at the foot of any newsletter email.',
    );
    expect(html).not.toContain('View in your browser');
    expect(html).toContain(
      'href="https://news.example.com/newsletter/" style="color:#4b5560;">All editions</a>',
    );
    for (const href of hrefs(html)) expect(href).toMatch(/^https:\/\//);
  });
});
