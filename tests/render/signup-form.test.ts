import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { archivePage } from '../../src/newsletter/index.ts';
import { renderSampleSite, sampleItems, siteInfo } from './fixtures/index.ts';

const TOPICS = [
  { slug: 'transit', name: 'Transit' },
  { slug: 'climate', name: 'Climate & <Weather>' },
];
const csp = (html: string) =>
  (/http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '').replaceAll('&#39;', "'");

describe('the signup form on the site', () => {
  const items = sampleItems();
  const story = `articles/${items[0]?.slug}/index.html`;

  it('is on the front page and story pages only, posting to the site root with relative links', () => {
    const site = renderSampleSite(items, { site: siteInfo({ signup: { url: null, topics: TOPICS } }) });
    const front = site.get('index.html') ?? '';
    expect(front).toContain('<form method="post" action="subscribe">');
    expect(front).toContain(
      '<input type="checkbox" name="topic" value="climate"> Climate &amp; &lt;Weather&gt;',
    );
    expect(front).toContain('<div hidden><label for="signup-website">');
    expect(csp(front)).toContain("form-action 'self'");
    expect(site.get(story)).toContain('<form method="post" action="../../subscribe">');
    expect(csp(site.get(story) ?? '')).toContain("form-action 'self'");
    for (const [path, html] of site)
      if (path.endsWith('.html') && path !== 'index.html' && !path.startsWith('articles/'))
        expect(html, path).not.toContain('class="signup"');
  });

  it('lets the CSP post to a signup endpoint on another origin, and to nowhere else', () => {
    const site = renderSampleSite(items, {
      site: siteInfo({ signup: { url: 'https://lists.example.net/join', topics: [] } }),
    });
    const front = site.get('index.html') ?? '';
    expect(front).toContain('<form method="post" action="https://lists.example.net/join">');
    expect(front).not.toContain('<fieldset>');
    expect(csp(front)).toMatch(/; form-action 'self' https:\/\/lists\.example\.net$/);
  });

  it('is absent, and the CSP as before, when signup.form is off', () => {
    const site = renderSampleSite(items);
    expect(site.get('index.html')).not.toContain('class="signup"');
    expect(csp(site.get('index.html') ?? '')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; media-src 'self' https:",
    );
  });

  it('is on the newsletter archive, posting to the site root', () => {
    const config = configSchema.parse({
      site: { title: 'The Harbor City Ledger', baseUrl: 'https://ledger.example/' },
      feeds: { topics: [{ name: 'Transit', tags: ['transit'] }] },
      signup: { form: true },
    });
    const html = archivePage([], config);
    expect(html).toContain('<form method="post" action="../subscribe">');
    expect(html).toContain('value="transit"');
    expect(csp(html)).toContain("form-action 'self'");
    expect(archivePage([], configSchema.parse({}))).not.toContain('class="signup"');
  });
});
