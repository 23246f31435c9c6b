import { describe, expect, it } from 'vitest';
import { pageText } from '../../src/ingest/index.ts';
import { planSite, type SiteOptions } from '../../src/render/index.ts';
import { sampleItems, siteInfo } from './fixtures/index.ts';

const options = (overrides: Partial<SiteOptions> = {}): SiteOptions => ({
  site: siteInfo(),
  feedLimit: 50,
  authorFeeds: true,
  codeVersion: 'v1',
  ...overrides,
});

const keysByPath = (o: SiteOptions) => new Map(planSite(sampleItems(), o).map((f) => [f.path, f.key]));

describe('render keys', () => {
  it('are equal for equal inputs (separately built items) and unique per output', () => {
    const a = keysByPath(options());
    expect(keysByPath(options())).toEqual(a);
    expect(new Set(a.values()).size).toBe(a.size);
  });

  it('change for every output when the rendering code changes', () => {
    const a = keysByPath(options());
    const b = keysByPath(options({ codeVersion: 'v2' }));
    for (const [path, key] of a) expect(b.get(path), path).not.toBe(key);
  });

  it('do not depend on the build time, except where a file prints it', () => {
    const a = keysByPath(options());
    const b = keysByPath(options({ site: siteInfo({ now: '2030-01-01T00:00:00Z' }) }));
    expect(b).toEqual(a); // every sample feed has items, so no file prints the build time
  });

  it('match what render gives: equal keys, equal bytes', () => {
    const first = planSite(sampleItems(), options());
    const second = planSite(sampleItems(), options());
    for (const [i, file] of first.entries()) expect(second[i]?.render()).toBe(file.render());
  });

  it('are worked out without loading any story’s text (paged past ingest.textMemoryMB)', () => {
    // feedLimit 2: an archive, whose month pages list every story with its summary; two of the
    // sample stories have no highlights, so their summaries are cut from their bodies.
    const loaded: string[] = [];
    const paged = sampleItems().map((item) =>
      pageText(item, () => {
        loaded.push(item.slug);
        return { body: item.body, analysis: item.analysis };
      }),
    );
    const planned = planSite(paged, options({ feedLimit: 2 }));
    expect(planned.some((file) => file.path.startsWith('archive/20'))).toBe(true);
    expect(loaded).toEqual([]);
    const inMemory = new Map(planSite(sampleItems(), options({ feedLimit: 2 })).map((f) => [f.path, f.key]));
    expect(new Map(planned.map((f) => [f.path, f.key]))).toEqual(inMemory);
  });
});
