import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { renderSampleSite, sampleItems } from './fixtures/index.ts';

const items = sampleItems();
const author = 'authors/ethan-brooks/';
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['entry', 'link', 'item'].includes(name),
});

function authorFeeds(authorContent?: 'summary' | 'full') {
  const site = renderSampleSite(items, authorContent ? { authorContent } : {});
  const get = (file: string) => {
    const text = site.get(`${author}${file}`);
    if (text === undefined) throw new Error(`no ${author}${file}`);
    return text;
  };
  return { rss: get('rss.xml'), atom: get('atom.xml'), json: JSON.parse(get('feed.json')), main: site };
}

describe('author feeds', () => {
  it('carry each story as its summary and a link by default, in all three formats', async () => {
    const { rss, atom, json } = authorFeeds();
    const read = await new Parser().parseString(rss);
    expect(read.items.length).toBe(2);
    for (const entry of read.items) {
      expect(entry['content:encoded']).toBeUndefined();
      expect(entry.content?.length ?? 0).toBeGreaterThan(0); // the <description>: the summary
      expect(entry.link).toMatch(/^https:\/\/news\.example\.com\/articles\//);
    }
    expect(XMLValidator.validate(atom)).toBe(true);
    const entries = parser.parse(atom).feed.entry as Record<string, unknown>[];
    for (const entry of entries) {
      expect(entry.content).toBeUndefined();
      expect(entry.summary).toBeDefined();
      // RFC 4287: a link with no rel is rel="alternate", which an entry without content needs.
      const links = entry.link as { '@rel'?: string; '@href': string }[];
      const alternate = links.find((l) => (l['@rel'] ?? 'alternate') === 'alternate');
      expect(alternate?.['@href']).toMatch(/^https:\/\/news\.example\.com\/articles\//);
    }
    for (const item of json.items) {
      expect(item.content_html).toBeUndefined();
      expect(typeof item.content_text).toBe('string');
      expect(item.content_text.length).toBeGreaterThan(0);
    }
  });

  it('carry the full story with authorContent "full", like the main feed', async () => {
    const { rss, json, main } = authorFeeds('full');
    const read = await new Parser().parseString(rss);
    const mainRead = await new Parser().parseString(main.get('rss.xml') ?? '');
    for (const entry of read.items) {
      const same = mainRead.items.find((m) => m.guid === entry.guid);
      expect(entry['content:encoded']).toBeDefined();
      expect(entry['content:encoded']).toBe(same?.['content:encoded']);
    }
    for (const item of json.items) expect(item.content_html.length).toBeGreaterThan(0);
  });

  it('main and topic feeds carry full stories whatever authorContent says', async () => {
    const { main } = authorFeeds('summary');
    const read = await new Parser().parseString(main.get('rss.xml') ?? '');
    expect(read.items.every((entry) => (entry['content:encoded'] ?? '').length > 0)).toBe(true);
  });
});
