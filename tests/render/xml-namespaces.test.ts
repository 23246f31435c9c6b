import { describe, expect, it } from 'vitest';
import { renderSampleSite, sampleItems } from './fixtures/index.ts';

/** Prefixes used in element or attribute names that the document never binds with xmlns:. */
function unboundPrefixes(xml: string): string[] {
  const used = new Set<string>();
  for (const match of xml.matchAll(/<\/?([A-Za-z_][\w.-]*):[A-Za-z_]/g)) used.add(match[1] as string);
  for (const match of xml.matchAll(/\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*="/g)) {
    if (match[1] !== 'xmlns' && match[1] !== 'xml') used.add(match[1] as string);
  }
  return [...used].filter((prefix) => !xml.includes(`xmlns:${prefix}="`)).sort();
}

describe('XML namespaces in every feed', () => {
  for (const authorContent of ['summary', 'full'] as const) {
    it(`binds every prefix it uses (author feeds: ${authorContent})`, () => {
      const site = renderSampleSite(sampleItems(), { authorContent });
      const xmlFiles = [...site].filter(([path]) => path.endsWith('.xml') || path.endsWith('.opml'));
      expect(xmlFiles.length).toBeGreaterThan(10);
      for (const [path, xml] of xmlFiles) expect(unboundPrefixes(xml), path).toEqual([]);
      // The author feeds do use a prefix (dc:creator for the byline), so the check bites there.
      expect(site.get('authors/ethan-brooks/rss.xml')).toContain('<dc:creator>');
    });
  }

  it('the check itself finds an unbound prefix', () => {
    expect(unboundPrefixes('<rss version="2.0"><item><dc:creator>A</dc:creator></item></rss>')).toEqual([
      'dc',
    ]);
  });
});
