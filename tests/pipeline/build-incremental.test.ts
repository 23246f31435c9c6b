import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.ts';
import { writeOutputs } from '../../src/pipeline/output.ts';
import { buildSite } from '../../src/pipeline/site.ts';
import type { Article } from '../../src/types.ts';
import { article, hostileArticle, sampleArticles } from '../render/fixtures/index.ts';
import { readTree, siteConfig, siteContext, tempProject } from './build-site-helpers.ts';

/**
 * One build of the site into `root` (state and out/), as `broadsheet build` runs it; with
 * `cached`, through the cache file as well (the related-link memo), as the CLI does.
 */
function build(root: string, articles: Article[], now: string, config: Config, cached = true) {
  const ctx = siteContext(root, now, config);
  const db = ctx.openState();
  const cache = cached ? ctx.openCache() : undefined;
  try {
    const site = buildSite(ctx, db, articles, cache);
    const summary = writeOutputs(join(root, 'out'), site.files);
    return { summary, files: site.files.length };
  } finally {
    cache?.close();
    db.close();
  }
}

const base = (): Article[] => [
  ...sampleArticles(),
  hostileArticle(),
  article({
    title: 'Ferry Schedule Changes',
    authors: ['Lea Brandt'],
    published: '2025-07-20T09:00:00-04:00',
  }),
];

const edit = (articles: Article[], title: string, change: (a: Article) => Article | null): Article[] =>
  articles.flatMap((a) => (a.title.startsWith(title) ? (change(a) ?? []) : [a]));

/**
 * Render keys must name everything an output depends on, and the related-link memo must be
 * dropped whenever a link could change: a rebuild that skips work through either has to give
 * exactly the bytes a build that does everything gives, for any change.
 */
const changes: { name: string; next: (a: Article[]) => Article[]; config?: Config }[] = [
  {
    name: 'one paragraph of one story edited',
    next: (a) => edit(a, 'Harbor Bridge', (x) => ({ ...x, body: [...x.body, 'A late paragraph.'] })),
  },
  {
    name: 'a story re-headlined (another story links to it by title)',
    next: (a) => edit(a, 'Harbor Bridge', (x) => ({ ...x, title: 'Harbor Bridge: What the Vote Means' })),
  },
  { name: 'a story removed', next: (a) => edit(a, 'Ferry Schedule', () => null) },
  {
    name: 'a story added by a new author',
    next: (a) => [...a, article({ title: 'Night Market Returns', authors: ['Ana Ruiz'] })],
  },
  {
    // Resolves a related title that was plain text: the linking story's page and feeds change
    // although its own text did not.
    name: 'a story added that another story lists as related',
    next: (a) => [...a, article({ title: 'A Story We Do Not Have', published: '2025-07-01T09:00:00-04:00' })],
  },
  {
    name: 'the site retitled in the config',
    next: (a) => a,
    config: siteConfig({ site: { title: 'The Ledger', baseUrl: 'https://news.example.com/' } }),
  },
  { name: 'the feed limit lowered', next: (a) => a, config: siteConfig({ feeds: { limit: 2 } }) },
];

describe('incremental rebuild', () => {
  for (const change of changes) {
    it(`gives the same bytes as a full render: ${change.name}`, () => {
      const incremental = tempProject();
      const full = tempProject();
      for (const root of [incremental, full]) build(root, base(), '2026-11-24T15:00:00Z', siteConfig());
      rmSync(join(full, 'out'), { recursive: true }); // the full build renders every file
      const config = change.config ?? siteConfig();
      const next = change.next(base());
      const { summary, files } = build(incremental, next, '2026-11-25T09:00:00Z', config);
      // The reference renders every file and resolves every related title afresh.
      build(full, next, '2026-11-25T09:00:00Z', config, false);
      expect(readTree(join(incremental, 'out'))).toEqual(readTree(join(full, 'out')));
      // And it did skip work: some outputs were not rendered (a config change renders all).
      if (!change.config) expect(summary.rendered).toBeLessThan(files);
    });
  }

  it('renders nothing when nothing changed, even at a later build time', () => {
    const root = tempProject();
    build(root, base(), '2026-11-24T15:00:00Z', siteConfig());
    const { summary } = build(root, base(), '2026-11-30T15:00:00Z', siteConfig());
    expect(summary).toMatchObject({ rendered: 0, written: 0, removed: 0 });
  });

  it('one edited story renders its page and the lists and feeds that show it, nothing else', () => {
    const root = tempProject();
    build(root, base(), '2026-11-24T15:00:00Z', siteConfig());
    const next = edit(base(), 'Ferry Schedule', (x) => ({ ...x, body: ['Rewritten.'] }));
    const { summary, files } = build(root, next, '2026-11-25T09:00:00Z', siteConfig());
    // Its page, index and archive pages, the main and author feeds (3 formats each), the
    // author page, the OPML date, its month's archived feed and sitemap, the sitemap index and
    // pages.xml (their lastmod): a handful, out of every file of the site.
    expect(summary.rendered).toBeGreaterThan(0);
    expect(summary.rendered).toBeLessThanOrEqual(16);
    expect(files).toBeGreaterThan(20);
  });
});
