import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { article, renderSampleSite, sampleItems } from './fixtures/index.ts';

/**
 * The W3C Feed Validator's own checks that our feeds could trip, restated from its source
 * (w3c/feedvalidator: validators.py, content.py, link.py, logging.py) so that a change that
 * would bring back a warning fails here. The hosted validator cannot be reached from a test.
 */

// validators.py: rfc2396.tag_re and rfc822.rfc2822_re.
const TAG_URI =
  /^tag:([a-z0-9\-._]+?@)?[a-z0-9.-]+?,\d{4}(-\d{2}(-\d{2})?)?:[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,]*(#[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,]*)?$/;
const RFC2822 =
  /^(((Mon)|(Tue)|(Wed)|(Thu)|(Fri)|(Sat)|(Sun)), )?\d\d? ((Jan)|(Feb)|(Mar)|(Apr)|(May)|(Jun)|(Jul)|(Aug)|(Sep)|(Oct)|(Nov)|(Dec)) \d\d\d\d \d\d:\d\d(:\d\d)? (([+-]?\d\d[03]0)|(UT)|(GMT)|(EST)|(EDT)|(CST)|(CDT)|(MST)|(MDT)|(PST)|(PDT)|Z)$/;
// validators.py nonhtml: an end tag of an HTML element, or an entity reference, in a text value.
const HTML_END_TAG = /<\/(a|b|i|p|em|strong|script|div|span|img|br|li|ul|h\d)>/i;
const ENTITY = /&(#?\w+);/;
// base.py / content.py: characters logged as BadCharacters.
const BAD_CHARACTERS = /[\u0080-\u009F\uFFFD]/;

const site = renderSampleSite(
  sampleItems([
    article({ title: 'Undated one', tags: ['Busy'] }),
    article({ title: 'Undated two', tags: ['Busy'] }),
    article({ title: 'Same day', published: '2026-11-01T00:00:00-04:00' }),
    article({ title: 'Same day too', published: '2026-11-01T00:00:00-04:00' }),
    article({ title: 'Fish &amp; chips <i>tonight</i>', related: ['Same day <b>too</b>'] }),
    article({
      title: 'With a picture and an episode',
      media: {
        image: null,
        enclosure: null,
        inline: [],
        resolved: {
          image: {
            url: 'https://news.example.com/media/harbour-0123456789ab.jpg?a=1&b=2',
            width: 640,
            height: 400,
            type: 'image/jpeg',
            length: 51234,
            alt: 'Fish &amp; <b>chips</b>',
            caption: 'A ]]> caption',
          },
          enclosure: {
            url: 'https://cdn.example.com/episode.mp3',
            type: 'audio/mpeg',
            length: 1234567,
            podcast: { duration: 3723, episode: 3, season: 1, episodeType: 'bonus', explicit: true },
          },
          inline: {},
        },
      },
    }),
  ]),
);
const withSamples = renderSampleSite();
const feeds = [...site, ...withSamples].filter(
  ([path]) => path.endsWith('rss.xml') || path.endsWith('atom.xml'),
);
const parse = (xml: string) =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    htmlEntities: true,
    cdataPropName: '#cdata',
    isArray: (name) => ['item', 'entry', 'link', 'atom:link'].includes(name),
  }).parse(xml);
/** An element's value as the validator sees it: XML-decoded text, CDATA taken literally. */
const textValue = (node: unknown): string =>
  typeof node === 'string'
    ? node
    : String((node as Record<string, unknown>)['#cdata'] ?? (node as Record<string, unknown>)['#text'] ?? '');

describe('W3C Feed Validator rules', () => {
  it('ids are valid tag URIs and RSS dates are RFC 2822', () => {
    for (const [path, xml] of feeds) {
      const doc = parse(xml);
      if (doc.rss) {
        for (const item of doc.rss.channel.item ?? []) {
          expect(textValue(item.guid), path).toMatch(TAG_URI);
          expect(item.pubDate, path).toMatch(RFC2822);
        }
        expect(doc.rss.channel.lastBuildDate, path).toMatch(RFC2822);
      } else {
        for (const entry of doc.feed.entry ?? []) expect(entry.id, path).toMatch(TAG_URI);
      }
    }
  });

  it('RSS titles hold no HTML, and any reference in one is hexadecimal (RSS Profile)', () => {
    for (const [path, xml] of feeds) {
      const channel = parse(xml).rss?.channel;
      if (!channel) continue;
      for (const item of channel.item ?? []) {
        const title = textValue(item.title);
        expect(title, path).not.toMatch(HTML_END_TAG);
        const entity = title.match(ENTITY);
        if (entity) expect(entity[1], `${path}: ${title}`).toMatch(/^#x/);
      }
    }
  });

  it('every feed links to itself with rel="self" at its own URL', () => {
    for (const [path, xml] of feeds) {
      const doc = parse(xml);
      const links = doc.rss ? doc.rss.channel['atom:link'] : doc.feed.link;
      const self = links.filter((l: { '@rel': string }) => l['@rel'] === 'self');
      expect(
        self.map((l: { '@href': string }) => l['@href']),
        path,
      ).toEqual([`https://news.example.com/${path}`]);
    }
  });

  it('no two Atom entries share atom:updated (DuplicateUpdated) and text constructs have a language', () => {
    for (const [path, xml] of feeds) {
      const feed = parse(xml).feed;
      if (!feed) continue;
      expect(feed['@xml:lang'], path).toBe('en');
      const updated = (feed.entry ?? []).map((e: { updated: string }) => e.updated);
      expect(new Set(updated).size, path).toBe(updated.length);
    }
  });

  it('Atom link titles hold no HTML', () => {
    for (const [path, xml] of feeds) {
      const feed = parse(xml).feed;
      if (!feed) continue;
      for (const entry of feed.entry ?? []) {
        for (const link of entry.link) expect(link['@title'] ?? '', path).not.toMatch(HTML_END_TAG);
      }
    }
  });

  it('enclosures, Media RSS and itunes: elements carry the attributes and forms the validator requires', () => {
    const MIME = /^[a-z]+\/[\w.+-]+$/;
    const found = { enclosure: 0, media: 0, itunes: 0, atom: 0 };
    for (const [path, xml] of feeds) {
      const doc = parse(xml);
      for (const item of doc.rss?.channel.item ?? []) {
        if (item.enclosure) {
          found.enclosure++;
          expect(item.enclosure['@url'], path).toMatch(/^https?:\/\//);
          expect(item.enclosure['@length'], path).toMatch(/^\d+$/);
          expect(item.enclosure['@type'], path).toMatch(MIME);
        }
        const media = item['media:content'];
        if (media) {
          found.media++;
          expect(media['@medium'], path).toBe('image');
          for (const key of ['@width', '@height', '@fileSize']) expect(media[key], path).toMatch(/^\d+$/);
          expect(textValue(media['media:description']), path).toBe('A ]]> caption');
        }
        if (item['itunes:duration'] !== undefined) {
          found.itunes++;
          expect(String(item['itunes:duration']), path).toMatch(/^(\d+|\d{1,2}:\d{2}(:\d{2})?)$/);
          expect(['true', 'false'], path).toContain(String(item['itunes:explicit']));
          expect(['full', 'trailer', 'bonus'], path).toContain(item['itunes:episodeType']);
        }
      }
      for (const entry of doc.feed?.entry ?? []) {
        for (const link of entry.link.filter((l: { '@rel': string }) => l['@rel'] === 'enclosure')) {
          found.atom++;
          expect(link['@href'], path).toMatch(/^https?:\/\//);
          expect(link['@type'], path).toMatch(MIME);
          expect(link['@length'], path).toMatch(/^\d+$/);
        }
      }
    }
    // In the main feed, and again in each feed the story is in.
    expect(found.enclosure).toBeGreaterThan(0);
    expect(found.media).toBe(found.enclosure);
    expect(found.itunes).toBe(found.enclosure);
    expect(found.atom).toBe(2 * found.enclosure);
  });

  it('no output carries characters the validator reports as bad', () => {
    for (const [path, xml] of [...site, ...withSamples]) expect(xml, path).not.toMatch(BAD_CHARACTERS);
  });
});
