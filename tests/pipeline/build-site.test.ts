import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { writeOutputs } from '../../src/pipeline/output.ts';
import { buildSite } from '../../src/pipeline/site.ts';
import { loadIdentities } from '../../src/state/items.ts';
import type { Article } from '../../src/types.ts';
import { article, hostileArticle, sampleArticles } from '../render/fixtures/index.ts';
import { readTree, siteConfig, siteContext, tempProject } from './build-site-helpers.ts';

/** One `broadsheet build` of the site: state from and to the project's SQLite file, files to out/. */
function build(root: string, articles: Article[], now: string, config = siteConfig()) {
  const ctx = siteContext(root, now, config);
  const db = ctx.openState();
  try {
    const site = buildSite(ctx, db, articles);
    writeOutputs(join(root, 'out'), site.files);
    return site;
  } finally {
    db.close();
  }
}

const atomEntries = (root: string) =>
  new XMLParser({ isArray: (n) => n === 'entry' }).parse(
    readTree(join(root, 'out')).get('atom.xml')?.toString() ?? '',
  ).feed.entry as { id: string; title: string; published: string; updated: string }[];

describe('buildSite', () => {
  const articles = [...sampleArticles(), hostileArticle()];

  it('builds byte-identical output from the same input, state and build time', () => {
    const root = tempProject();
    build(root, articles, '2026-11-24T15:00:00Z');
    const first = readTree(join(root, 'out'));
    build(root, articles, '2026-11-24T15:00:00Z');
    expect(readTree(join(root, 'out'))).toEqual(first);
    // A fresh project (empty state) at the same build time gives the same bytes too.
    const other = tempProject();
    build(other, articles, '2026-11-24T15:00:00Z');
    expect(readTree(join(other, 'out'))).toEqual(first);
  });

  it('keeps first-seen dates and ids stable across later builds through the SQLite state file', () => {
    const root = tempProject();
    build(root, articles, '2026-11-24T15:00:00Z');
    const before = atomEntries(root);
    build(root, articles, '2026-12-24T08:00:00Z');
    expect(atomEntries(root)).toEqual(before);
    const undated = before.find((e) => e.title === 'Markets Rally After Rate Decision');
    expect(undated?.published).toBe('2026-11-24T15:00:00.000Z');
  });

  it('an edited article keeps its id and gets the build time as its updated date', () => {
    const root = tempProject();
    build(root, articles, '2026-11-24T15:00:00Z');
    const before = atomEntries(root).find((e) => e.title.startsWith('City Council'));
    const edited = articles.map((a) =>
      a.title.startsWith('City Council') ? { ...a, body: [...a.body, 'A correction was added.'] } : a,
    );
    const result = build(root, edited, '2026-11-25T09:00:00Z');
    const after = atomEntries(root).find((e) => e.title.startsWith('City Council'));
    expect(after?.id).toBe(before?.id);
    expect(after?.published).toBe(before?.published);
    // Atom adds milliseconds so that no two entries share an updated value.
    expect(after?.updated).toMatch(/^2026-11-25T09:00:00\.\d{3}Z$/);
    expect(result.items.find((i) => i.id === before?.id)?.updated).toBe('2026-11-25T09:00:00Z');
  });

  it('stores identities only after everything rendered: a failing build leaves out/ and the state as they were', () => {
    const root = tempProject();
    build(root, articles, '2026-11-24T15:00:00Z');
    const out = readTree(join(root, 'out'));
    const broken = { ...article({ title: 'New story' }), body: null } as unknown as Article;
    expect(() => build(root, [...articles, broken], '2026-11-25T09:00:00Z')).toThrow();
    expect(readTree(join(root, 'out'))).toEqual(out);
    const ctx = siteContext(root, '2026-11-25T09:00:00Z');
    const db = ctx.openState();
    expect(loadIdentities(db).map((i) => i.slug)).not.toContain('new-story');
    db.close();
  });

  it('follows feed config: limit, topic rules, author feeds, hub', () => {
    const root = tempProject();
    const config = siteConfig({
      site: { title: 'Ledger', baseUrl: 'https://news.example.com/', hub: 'https://hub.example.com/' },
      feeds: { limit: 2, authorFeeds: false, topics: [{ name: 'Markets', keywords: ['markets'] }] },
    });
    const result = build(root, articles, '2026-11-24T15:00:00Z', config);
    const paths = result.files.map((f) => f.path);
    expect(paths).toContain('topics/markets/rss.xml');
    expect(paths.some((p) => p.startsWith('authors/'))).toBe(false);
    const feed = JSON.parse(readTree(join(root, 'out')).get('feed.json')?.toString() ?? '{}');
    expect(feed.items).toHaveLength(2);
    expect(feed.hubs).toEqual([{ type: 'WebSub', url: 'https://hub.example.com/' }]);
  });
});
