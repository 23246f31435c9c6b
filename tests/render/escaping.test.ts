import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeXmlText, XmlSlots } from '../../src/render/xml.ts';
import {
  article,
  findExecutableMarkup,
  HOSTILE_TITLE,
  renderSampleSite,
  sampleItems,
  siteInfo,
} from './fixtures/index.ts';

describe('hostile text stays text in every output', () => {
  const files = renderSampleSite();

  it('every XML output is well-formed and holds no markup from the input', () => {
    for (const [path, contents] of files) {
      if (path.endsWith('.xml') || path.endsWith('.opml') || path.endsWith('.xsl')) {
        expect(XMLValidator.validate(contents), path).toBe(true);
      }
      // JSON strings are text (a title may hold "<script>" as text); only its HTML must be inert.
      const markup = path.endsWith('.json')
        ? JSON.parse(contents)
            .items.map((i: { content_html: string }) => i.content_html)
            .join('\n')
        : contents;
      expect(findExecutableMarkup(markup), path).toBeNull();
      expect(markup, path).not.toMatch(/<script|<iframe|<img src=x/i);
    }
  });

  it('no output holds a control character XML forbids', () => {
    for (const [path, contents] of files) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: that is what is being looked for
      expect(contents, path).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    }
  });

  it('the article page shows the hostile title as text', () => {
    const page = files.get('articles/script-alert-1-script-tom-jerry-quoted-b-bold-b/index.html') ?? '';
    expect(page).toContain(
      '<h1>&lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry ]]&gt; &quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt;</h1>',
    );
    // A javascript: canonical URL was dropped, so the page is its own canonical.
    expect(page).not.toContain('Originally published');
  });

  it('"]]>" in any field never ends a CDATA section early', () => {
    const many = sampleItems([
      article({ title: ']]> ]]> ]]>', body: [']]>]]>'], highlights: [']]>'], related: [']]>'] }),
    ]);
    const site = renderSampleSite(many);
    for (const path of ['rss.xml', 'atom.xml'])
      expect(XMLValidator.validate(site.get(path) ?? ''), path).toBe(true);
  });

  it('escapes for XML with hexadecimal references and fills placeholders once', () => {
    expect(escapeXmlText(`a&b<c>d"e'f`)).toBe('a&#x26;b&#x3C;c&#x3E;d&#x22;e&#x27;f');
    const slots = new XmlSlots();
    const xml = `<t>${slots.text('AT&amp;T')}</t><u><![CDATA[${slots.rssText('<b>')}]]></u>`;
    expect(slots.fill(xml)).toBe('<t>AT&#x26;amp;T</t><u><![CDATA[&#x3C;b&#x3E;]]></u>');
    expect(HOSTILE_TITLE).toContain(']]>');
  });
});

describe('the executable-markup finder these tests rely on', () => {
  it('finds what would run and ignores escaped text', () => {
    expect(findExecutableMarkup('<p><img src=x onerror=alert(1)></p>')).toBe('<img src=x onerror=alert(1)>');
    expect(findExecutableMarkup('<a href="javascript:alert(1)">x</a>')).toBe(
      '<a href="javascript:alert(1)">',
    );
    expect(findExecutableMarkup('<SCRIPT>x</SCRIPT>')).toBe('<SCRIPT>');
    expect(
      findExecutableMarkup('<meta content="&lt;img onerror=alert(1)&gt;"><p>&lt;script&gt;</p>'),
    ).toBeNull();
  });
});

describe('configured text', () => {
  it('control characters in the site title never reach the XML', () => {
    const site = renderSampleSite(sampleItems(), {
      site: { ...siteInfo(), title: 'Ledger\u0001 \uFDD0 News', description: 'Bad\u0008 & <b>' },
    });
    for (const path of ['rss.xml', 'atom.xml', 'feeds.opml']) {
      const xml = site.get(path) ?? '';
      expect(XMLValidator.validate(xml), path).toBe(true);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: that is what is being looked for
      expect(xml, path).not.toMatch(/[\u0001\u0008\uFDD0]/);
      expect(xml, path).toContain('Ledger  News');
    }
  });
});
