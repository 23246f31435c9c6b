import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopicRule } from '../../src/config/schema.ts';
import {
  NormalizeMemo,
  type NormalizeOptions,
  type NormalizeResult,
  normalizeArticles,
  type RelatedMemo,
  type StoredIdentity,
} from '../../src/normalize/index.ts';
import type { Article } from '../../src/types.ts';

/**
 * A warm rebuild (the same NormalizeMemo across calls) gives what a call without it gives,
 * whatever happened in between: edits, new and removed stories, new titles (related links
 * move), new tags, another `known`, `now`, base URL, topic rules or related memo.
 */

// Small pools, so titles, files, lines and URLs collide: title matching groups, related
// titles naming our stories, equal sort keys.
const TITLES = [
  'Council approves harbor bridge budget',
  'Council Approves the Harbor Bridge Budget',
  'Ferry service returns to the east pier',
  'Heat wave expected this weekend',
  'Museum opens a new gallery',
  'Mayor vetoes transit plan',
  '',
];
const BODIES = [
  'The council voted seven to two on Tuesday night after a long debate about costs.',
  'Ferries will run every twenty minutes from the east pier starting Monday morning.',
  'Forecasters expect temperatures above ninety degrees across the city on Saturday.',
  'The new gallery shows work by local artists and opens to the public this week.',
  'The mayor said the transit plan would cost too much and sent it back to committee.',
];
const FILES = ['a.txt', 'b.txt', 'c.md'];
const URLS = [null, null, 'https://example.com/one', 'https://example.com/two', 'javascript:alert(1)'];
const DATES = [null, null, '2026-11-20T08:00:00Z', '2026-11-21T09:30:00-05:00', 'yesterday'];
const TAGS = ['transit', 'arts', 'Weather', 'city hall'];

const RULES_A: TopicRule[] = [
  { name: 'Transit', slug: 'transit', tags: ['transit'], keywords: ['ferry', 'bus'] },
  { name: 'City Hall', tags: ['city hall'], keywords: ['council', 'mayor'] },
];
const RULES_B: TopicRule[] = [{ name: 'Arts', tags: ['arts'], keywords: ['gallery', 'museum'] }];

const articleArb: fc.Arbitrary<Article> = fc
  .record({
    title: fc.constantFrom(...TITLES),
    body: fc.array(fc.constantFrom(...BODIES), { minLength: 1, maxLength: 2 }),
    highlights: fc.array(fc.constantFrom(...BODIES), { maxLength: 1 }),
    related: fc.array(fc.constantFrom(...TITLES, 'Harbor bridge budget approved by council'), {
      maxLength: 2,
    }),
    tags: fc.array(fc.constantFrom(...TAGS), { maxLength: 2 }),
    canonicalUrl: fc.constantFrom(...URLS),
    published: fc.constantFrom(...DATES),
    updated: fc.constantFrom(...DATES),
    file: fc.constantFrom(...FILES),
    line: fc.integer({ min: 1, max: 3 }),
    second: fc.option(fc.constantFrom(...FILES), { nil: undefined }),
    format: fc.constantFrom('text' as const, 'markdown' as const),
  })
  .map(
    (r): Article => ({
      title: r.title,
      authors: r.line === 2 ? ['Ana Ruiz and Ben Okafor'] : [],
      published: r.published,
      updated: r.updated,
      highlights: r.highlights,
      body: r.body,
      analysis: [],
      related: r.related,
      tags: r.tags,
      canonicalUrl: r.canonicalUrl,
      format: r.format,
      sources: [
        { file: r.file, startLine: r.line, endLine: r.line + 4 },
        ...(r.second ? [{ file: r.second, startLine: 1, endLine: 5 }] : []),
      ],
      mergedFrom: [],
    }),
  );

type Step =
  | { kind: 'edit'; at: number; body: string }
  | { kind: 'retitle'; at: number; title: string }
  | { kind: 'retag'; at: number; tags: string[] }
  | { kind: 'add'; article: Article }
  | { kind: 'remove'; at: number }
  | { kind: 'reverse' }
  | { kind: 'duplicate'; at: number }
  | { kind: 'same' }
  | { kind: 'now'; now: string }
  | { kind: 'known'; how: 'last' | 'clone' | 'none' | 'reversed' | 'half' | 'sameArray' }
  | { kind: 'rules'; rules: 'A' | 'B' }
  | { kind: 'baseUrl'; baseUrl: string }
  | { kind: 'relatedMemo'; how: 'last' | 'clone' | 'none' | 'damaged' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('edit' as const), at: fc.nat(), body: fc.constantFrom(...BODIES) }),
  fc.record({ kind: fc.constant('retitle' as const), at: fc.nat(), title: fc.constantFrom(...TITLES) }),
  fc.record({
    kind: fc.constant('retag' as const),
    at: fc.nat(),
    tags: fc.array(fc.constantFrom(...TAGS), { maxLength: 2 }),
  }),
  fc.record({ kind: fc.constant('add' as const), article: articleArb }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('reverse' as const) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('same' as const) }),
  fc.record({
    kind: fc.constant('now' as const),
    now: fc.constantFrom('2026-11-24T15:00:00Z', '2026-11-25T09:00:00+01:00', 'not a date'),
  }),
  fc.record({
    kind: fc.constant('known' as const),
    how: fc.constantFrom(
      'last' as const,
      'clone' as const,
      'none' as const,
      'reversed' as const,
      'half' as const,
      'sameArray' as const,
    ),
  }),
  fc.record({ kind: fc.constant('rules' as const), rules: fc.constantFrom('A' as const, 'B' as const) }),
  fc.record({
    kind: fc.constant('baseUrl' as const),
    baseUrl: fc.constantFrom('https://news.example.com/', 'https://other.example:8080/site/'),
  }),
  fc.record({
    kind: fc.constant('relatedMemo' as const),
    how: fc.constantFrom('last' as const, 'clone' as const, 'none' as const, 'damaged' as const),
  }),
);

interface World {
  articles: Article[];
  options: Omit<NormalizeOptions, 'memo'>;
}

/** The next inputs after one step; `last` is the result of the previous call. */
function apply(world: World, step: Step, last: NormalizeResult): World {
  const { articles, options } = world;
  const at = (n: number) => (articles.length === 0 ? -1 : n % articles.length);
  const replace = (n: number, change: (a: Article) => Article): Article[] => {
    const i = at(n);
    if (i < 0) return articles;
    const copy = [...articles];
    copy[i] = change(articles[i] as Article);
    return copy;
  };
  switch (step.kind) {
    case 'edit':
      return {
        ...world,
        articles: replace(step.at, (a) => ({ ...a, body: [step.body, ...a.body.slice(1)] })),
      };
    case 'retitle':
      return { ...world, articles: replace(step.at, (a) => ({ ...a, title: step.title })) };
    case 'retag':
      return { ...world, articles: replace(step.at, (a) => ({ ...a, tags: step.tags })) };
    case 'add':
      return { ...world, articles: [...articles, step.article] };
    case 'remove': {
      const i = at(step.at);
      return i < 0 ? world : { ...world, articles: articles.filter((_, j) => j !== i) };
    }
    case 'reverse':
      return { ...world, articles: [...articles].reverse() };
    case 'duplicate': {
      const i = at(step.at);
      return i < 0 ? world : { ...world, articles: [...articles, articles[i] as Article] };
    }
    case 'same':
      return world;
    case 'now':
      return { ...world, options: { ...options, now: step.now } };
    case 'known': {
      const ids = last.identities;
      const known: StoredIdentity[] =
        step.how === 'last'
          ? ids
          : step.how === 'clone'
            ? structuredClone(ids)
            : step.how === 'none'
              ? []
              : step.how === 'reversed'
                ? [...ids].reverse()
                : step.how === 'half'
                  ? ids.slice(0, Math.ceil(ids.length / 2))
                  : options.known;
      return { ...world, options: { ...options, known } };
    }
    case 'rules':
      return { ...world, options: { ...options, topicRules: step.rules === 'A' ? RULES_A : RULES_B } };
    case 'baseUrl':
      return { ...world, options: { ...options, baseUrl: step.baseUrl } };
    case 'relatedMemo': {
      const memo = last.relatedMemo;
      const relatedMemo: RelatedMemo | undefined =
        step.how === 'last'
          ? memo
          : step.how === 'clone'
            ? structuredClone(memo)
            : step.how === 'none'
              ? undefined
              : damaged(memo);
      return { ...world, options: { ...options, relatedMemo } };
    }
  }
}

/** A memo for the same targets whose every lookup names the first target instead. */
function damaged(memo: RelatedMemo): RelatedMemo {
  return {
    targets: memo.targets,
    links: Object.fromEntries(Object.keys(memo.links).map((key) => [key, 0])),
  };
}

describe('NormalizeMemo', () => {
  it('gives what a call without it gives, after any sequence of changes', () => {
    fc.assert(
      fc.property(
        fc.array(articleArb, { minLength: 0, maxLength: 6 }),
        fc.array(stepArb, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (initial, steps, startKnown) => {
          const memo = new NormalizeMemo();
          let world: World = {
            articles: initial,
            options: {
              baseUrl: 'https://news.example.com/',
              now: '2026-11-24T15:00:00Z',
              known: [],
              topicRules: RULES_A,
            },
          };
          let last = normalizeArticles(world.articles, world.options);
          if (startKnown) world = { ...world, options: { ...world.options, known: last.identities } };
          // The warm call each step follows (every call sees the memo, as a serve loop would).
          for (const step of [{ kind: 'same' } as Step, ...steps]) {
            world = apply(world, step, last);
            const cold = normalizeArticles(world.articles, world.options);
            const warm = normalizeArticles(world.articles, { ...world.options, memo });
            expect(warm).toEqual(cold);
            // Key order too: the related memo is stored as JSON, items are hashed as JSON.
            expect(JSON.stringify(warm)).toBe(JSON.stringify(cold));
            last = cold;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns the very same Item objects for stories nothing changed about', () => {
    const articles = [
      article('Council approves harbor bridge budget', 'a.txt', 1, [
        'Ferry service returns to the east pier',
      ]),
      article('Ferry service returns to the east pier', 'b.txt', 1, []),
      article('Heat wave expected this weekend', 'c.txt', 1, []),
    ];
    const memo = new NormalizeMemo();
    const options = {
      baseUrl: 'https://news.example.com/',
      now: '2026-11-24T15:00:00Z',
      topicRules: RULES_A,
    };
    const first = normalizeArticles(articles, { ...options, known: [], memo });
    const edited = [...articles];
    edited[2] = { ...(articles[2] as Article), body: ['A corrected paragraph.'] };
    const second = normalizeArticles(edited, {
      ...options,
      known: structuredClone(first.identities),
      relatedMemo: first.relatedMemo,
      memo,
    });
    const byTitle = (result: NormalizeResult, title: string) => result.items.find((i) => i.title === title);
    for (const title of ['Council approves harbor bridge budget', 'Ferry service returns to the east pier']) {
      expect(byTitle(second, title)).toBe(byTitle(first, title));
    }
    const heat = 'Heat wave expected this weekend';
    expect(byTitle(second, heat)).not.toBe(byTitle(first, heat));
    expect(byTitle(second, heat)?.body).toEqual(['A corrected paragraph.']);
    expect(second.relatedMemo).toBe(first.relatedMemo);
    expect(second).toEqual(
      normalizeArticles(edited, { ...options, known: first.identities, relatedMemo: first.relatedMemo }),
    );
  });

  it('ignores a memo that is not a NormalizeMemo', () => {
    const articles = [article('Heat wave expected this weekend', 'c.txt', 1, [])];
    const options = {
      baseUrl: 'https://news.example.com/',
      now: '2026-11-24T15:00:00Z',
      known: [],
      topicRules: [],
    };
    const memo = {} as NormalizeMemo;
    expect(normalizeArticles(articles, { ...options, memo })).toEqual(normalizeArticles(articles, options));
  });
});

function article(title: string, file: string, line: number, related: string[]): Article {
  return {
    title,
    authors: [],
    published: '2026-11-20T08:00:00Z',
    updated: null,
    highlights: [],
    body: [`${title}: a paragraph of body text.`],
    analysis: [],
    related,
    tags: [],
    canonicalUrl: null,
    format: 'text',
    sources: [{ file, startLine: line, endLine: line + 4 }],
    mergedFrom: [],
  };
}
