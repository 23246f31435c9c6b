/**
 * The related-title lookup on its own (`npm run bench -- --lookups`): an index over every
 * story title of a corpus shape, then the related titles of a sample of its stories resolved
 * against it. Cheap at any size (titles only, no files), so the per-lookup cost can be shown
 * at 100k stories before and after a change to src/normalize/related.ts.
 */
import { createRelatedIndex, type RelatedTarget } from '../../src/normalize/index.ts';
import { type CorpusParams, makeStory, storyTitle } from './corpus.ts';

export interface LookupBench {
  stories: number;
  lookups: number;
  /** Lookups that named one of the stories. */
  linked: number;
  indexSeconds: number;
  /** Wall time of all the lookups; per lookup below. */
  lookupSeconds: number;
  microsPerLookup: number;
  /** CPU time (user + system) per lookup: steadier than wall time on a shared machine. */
  cpuMicrosPerLookup: number;
  /** The slowest single lookup: a cap shows here first. */
  slowestMicros: number;
}

/** Resolves the related titles of `sample` stories spread evenly over the corpus. */
export function benchLookups(params: CorpusParams, sample = 300): LookupBench {
  const targets: RelatedTarget[] = Array.from({ length: params.articles }, (_, i) => ({
    id: `s${String(i).padStart(7, '0')}`,
    title: storyTitle(params, i),
    url: `https://bench.example/${i}/`,
  }));
  const queries: { selfId: string; titles: string[] }[] = [];
  const step = Math.max(1, Math.floor(params.articles / sample));
  for (let i = 0; i < params.articles && queries.length < sample; i += step) {
    queries.push({ selfId: (targets[i] as RelatedTarget).id, titles: makeStory(params, i).related });
  }
  const indexStarted = performance.now();
  const index = createRelatedIndex(targets);
  // Parts of the index are built on the first lookup that needs them (once per build, not per
  // lookup): one lookup of every sampled title's first related title is counted with the index.
  for (const query of queries) if (query.titles[0]) index.resolve(query.titles[0], query.selfId);
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  let lookups = 0;
  let linked = 0;
  let slowest = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const query of queries) {
    for (const title of query.titles) {
      const one = performance.now();
      if (index.resolve(title, query.selfId).itemId !== null) linked++;
      slowest = Math.max(slowest, performance.now() - one);
      lookups++;
    }
  }
  const lookupSeconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    stories: params.articles,
    lookups,
    linked,
    indexSeconds,
    lookupSeconds,
    microsPerLookup: lookups === 0 ? 0 : (lookupSeconds * 1e6) / lookups,
    cpuMicrosPerLookup: lookups === 0 ? 0 : (used.user + used.system) / lookups,
    slowestMicros: slowest * 1000,
  };
}
