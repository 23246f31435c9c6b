import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  archiveFeed,
  archivePage,
  renderEditionEmail,
  renderEditionWebView,
} from '../../src/newsletter/index.ts';
import { makeEdition, makeItem, shippedTemplates, testConfig } from './helpers.ts';

const hostile = 'Ban on <script>alert("x")</script> & ]]> "quotes" in <b>bold</b>';
const config = testConfig({ site: { title: 'Ledger & <Co>' } });

function hostileEdition() {
  return makeEdition(
    [
      makeItem({
        title: hostile,
        highlights: ['Fish & chips <img src=x onerror=alert(1)>'],
        authors: ["O'Brien <ob@x>"],
      }),
      makeItem({
        title: `Second ${hostile}`,
        related: [
          { title: 'Related <script>', url: 'https://news.example.com/articles/r/?a=1&b=2', itemId: 'r' },
        ],
      }),
    ],
    config,
  );
}

describe('hostile text stays text', () => {
  it('is escaped in the email HTML, never markup', async () => {
    const { html } = await renderEditionEmail(hostileEdition(), config, shippedTemplates());
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>bold');
    expect(html).toContain('Ban on &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ]]&gt;');
    expect(html).toContain('Fish &amp; chips &lt;img src');
    expect(html).toContain('Ledger &amp; &lt;Co&gt;');
    // Attribute values are escaped too (Handlebars also encodes "=" as &#x3D;, which HTML decodes back).
    expect(html).toContain('href="https://news.example.com/articles/r/?a&#x3D;1&amp;b&#x3D;2"');
    expect(html).not.toContain('?a=1&b=2');
  });

  it('is kept verbatim in the plain text', async () => {
    const { text } = await renderEditionEmail(hostileEdition(), config, shippedTemplates());
    expect(text).toContain('BAN ON <SCRIPT>ALERT("X")</SCRIPT> & ]]>');
    expect(text).toContain('- Fish & chips <img src=x onerror=alert(1)>');
  });

  it('is escaped in the web view', async () => {
    const html = await renderEditionWebView(hostileEdition(), config, shippedTemplates());
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('survives the archive page and Atom feed as the same text', () => {
    const e = hostileEdition();
    const entry = {
      id: e.id,
      subject: e.subject,
      preheader: e.preheader,
      url: e.url,
      since: e.since,
      until: e.until,
      storyCount: 2,
      createdAt: e.until,
    };
    expect(archivePage([entry], config)).not.toContain('<script>');
    const xml = archiveFeed([entry], config) ?? '';
    const parsed = new XMLParser({
      ignoreAttributes: false,
      processEntities: true,
      htmlEntities: true,
    }).parse(xml);
    const title = parsed.feed.entry.title;
    const text = typeof title === 'string' ? title : title['#text'];
    // Atom title type="html": the XML text is HTML, which decodes once more to our plain text.
    expect(decodeHtml(text)).toBe(e.subject);
  });
});

function decodeHtml(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
