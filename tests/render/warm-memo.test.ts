import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NormalizeMemo, normalizeArticles } from '../../src/normalize/index.ts';
import { type FeedContent, planSite, RenderMemo, type SiteOptions } from '../../src/render/index.ts';
import type { Article, Item, PlannedOutput } from '../../src/types.ts';
import { article, hostileArticle, sampleArticles, siteInfo } from './fixtures/index.ts';

/**
 * A warm planSite (the same RenderMemo across calls) plans what a call without it plans: the
 * same paths, keys and rendered bytes, whatever changed in between (items, order, options).
 */

const TITLES = ['Council approves budget', 'Ferry returns', 'Heat wave', 'Museum gallery opens'];
const TOPICS = [
  { slug: 'transit', name: 'Transit' },
  { slug: 'arts', name: 'Arts' },
  { slug: 'city-hall', name: 'City Hall' },
];
const AUTHORS = ['Ana Ruiz', 'ana ruiz', 'Ben Okafor'];

function baseItems(): Item[] {
  return normalizeArticles(
    [
      ...sampleArticles(),
      hostileArticle(),
      article({ title: 'Ferry returns', tags: ['transit'], related: ['Heat wave'] }),
      article({ title: 'Heat wave', published: '2026-11-23T10:00:00Z', related: ['Ferry returns'] }),
    ],
    { baseUrl: 'https://news.example.com/', now: '2026-11-24T15:00:00Z', known: [], topicRules: [] },
  ).items;
}

type Step =
  | { kind: 'retitle'; at: number; title: string }
  | { kind: 'topics'; at: number; topics: number[] }
  | { kind: 'authors'; at: number; authors: string[] }
  | { kind: 'updated'; at: number; updated: string }
  | { kind: 'remove'; at: number }
  | { kind: 'copy'; at: number }
  | { kind: 'reverse' }
  | { kind: 'same' }
  | { kind: 'options'; change: Partial<SiteOptions> }
  | { kind: 'site'; title?: string; now?: string };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('retitle' as const), at: fc.nat(), title: fc.constantFrom(...TITLES) }),
  fc.record({
    kind: fc.constant('topics' as const),
    at: fc.nat(),
    topics: fc.uniqueArray(fc.integer({ min: 0, max: TOPICS.length - 1 }), { maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constant('authors' as const),
    at: fc.nat(),
    authors: fc.array(fc.constantFrom(...AUTHORS), { maxLength: 2 }),
  }),
  fc.record({
    kind: fc.constant('updated' as const),
    at: fc.nat(),
    updated: fc.constantFrom('2026-11-24T16:00:00Z', '2026-11-30T08:00:00Z'),
  }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('copy' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('reverse' as const) }),
  fc.record({ kind: fc.constant('same' as const) }),
  fc.record({
    kind: fc.constant('options' as const),
    change: fc.oneof(
      fc.record({ feedLimit: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ authorFeeds: fc.boolean() }),
      fc.record({ authorContent: fc.constantFrom<FeedContent>('full', 'summary') }),
      fc.record({ codeVersion: fc.constantFrom('v1', 'v2') }),
    ),
  }),
  fc.record({
    kind: fc.constant('site' as const),
    title: fc.option(fc.constantFrom('Harbor City Ledger', 'The Ledger'), { nil: undefined }),
    now: fc.option(fc.constantFrom('2026-11-24T15:00:00Z', '2026-12-01T00:00:00Z'), { nil: undefined }),
  }),
);

function apply(items: Item[], options: SiteOptions, step: Step): [Item[], SiteOptions] {
  const at = (n: number) => (items.length === 0 ? -1 : n % items.length);
  const replace = (n: number, change: (item: Item) => Item): Item[] => {
    const i = at(n);
    if (i < 0) return items;
    const copy = [...items];
    copy[i] = change(items[i] as Item);
    return copy;
  };
  switch (step.kind) {
    case 'retitle':
      return [replace(step.at, (item) => ({ ...item, title: step.title })), options];
    case 'topics':
      return [
        replace(step.at, (item) => ({
          ...item,
          topics: step.topics.map((t) => ({ ...(TOPICS[t] as Item['topics'][0]) })),
        })),
        options,
      ];
    case 'authors':
      return [replace(step.at, (item) => ({ ...item, authors: step.authors })), options];
    case 'updated':
      return [replace(step.at, (item) => ({ ...item, updated: step.updated })), options];
    case 'remove': {
      const i = at(step.at);
      return [i < 0 ? items : items.filter((_, j) => j !== i), options];
    }
    case 'copy':
      return [replace(step.at, (item) => structuredClone(item)), options];
    case 'reverse':
      return [[...items].reverse(), options];
    case 'same':
      return [items, options];
    case 'options':
      return [items, { ...options, ...step.change }];
    case 'site':
      return [
        items,
        {
          ...options,
          site: {
            ...options.site,
            ...(step.title ? { title: step.title } : {}),
            ...(step.now ? { now: step.now } : {}),
          },
        },
      ];
  }
}

const plan = (files: PlannedOutput[]) => files.map((f) => ({ path: f.path, key: f.key }));

describe('RenderMemo', () => {
  it('plans and renders what a call without it does, after any sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 10 }), (steps) => {
        const memo = new RenderMemo();
        let items = baseItems();
        let options: SiteOptions = { site: siteInfo(), feedLimit: 2, authorFeeds: true, codeVersion: 'v1' };
        for (const step of [{ kind: 'same' } as Step, ...steps]) {
          [items, options] = apply(items, options, step);
          const cold = planSite(items, options);
          const warm = planSite(items, options, memo);
          expect(plan(warm)).toEqual(plan(cold));
          expect(warm.map((f) => f.render())).toEqual(cold.map((f) => f.render()));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('renders the same bytes as a call without it, after a warm rebuild with one edit', () => {
    const normalizeMemo = new NormalizeMemo();
    const memo = new RenderMemo();
    const options: SiteOptions = { site: siteInfo(), feedLimit: 2, authorFeeds: true, codeVersion: 'v1' };
    const articles: Article[] = [
      ...sampleArticles(),
      article({ title: 'Ferry returns', tags: ['transit'], related: ['Heat wave'] }),
      article({ title: 'Heat wave', published: '2026-11-23T10:00:00Z', related: ['Ferry returns'] }),
    ];
    const normalizeOptions = {
      baseUrl: 'https://news.example.com/',
      now: '2026-11-24T15:00:00Z',
      topicRules: [],
    };
    const first = normalizeArticles(articles, { ...normalizeOptions, known: [], memo: normalizeMemo });
    planSite(first.items, options, memo);
    const edited = [...articles];
    edited[3] = { ...(articles[3] as Article), body: ['The ferry is back.'] };
    const second = normalizeArticles(edited, {
      ...normalizeOptions,
      known: first.identities,
      relatedMemo: first.relatedMemo,
      memo: normalizeMemo,
    });
    const warm = planSite(second.items, options, memo);
    const cold = planSite(second.items, options);
    expect(plan(warm)).toEqual(plan(cold));
    expect(warm.map((f) => f.render())).toEqual(cold.map((f) => f.render()));
    // The edit changed its page's key and kept the others'.
    const before = new Map(plan(planSite(first.items, options)).map((f) => [f.path, f.key]));
    const changed = plan(warm)
      .filter((f) => before.get(f.path) !== f.key)
      .map((f) => f.path);
    expect(changed).toContain('articles/ferry-returns/index.html');
    expect(changed).not.toContain('articles/heat-wave/index.html');
  });

  it('does not change frozen items or options', () => {
    const items = deepFreeze(baseItems());
    const options = deepFreeze<SiteOptions>({
      site: siteInfo(),
      feedLimit: 2,
      authorFeeds: true,
      codeVersion: 'v1',
    });
    const memo = new RenderMemo();
    const cold = planSite(items, options);
    for (let i = 0; i < 2; i++) {
      const warm = planSite(items, options, memo);
      expect(plan(warm)).toEqual(plan(cold));
      expect(warm.map((f) => f.render())).toEqual(cold.map((f) => f.render()));
    }
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
