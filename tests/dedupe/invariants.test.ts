import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupeArticles } from '../../src/dedupe/index.ts';
import type { Article } from '../../src/types.ts';
import { rng } from '../helpers/rng.ts';
import { makeArticle } from './articles.ts';

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ten',
  'sur',
  'ba',
  'drei',
  'po',
  'ven',
  'ul',
  'sha',
  'rin',
  'tor',
  'ex',
];
const VOCABULARY = Array.from({ length: 3000 }, (_, i) => {
  let word = '';
  for (let n = i + 1; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
  return word;
});

interface Story {
  title: string;
  body: string[];
}

function story(seed: number): Story {
  const next = rng(seed);
  const word = () => VOCABULARY[Math.floor(next() ** 2 * VOCABULARY.length)] as string;
  const sentence = () => `${Array.from({ length: 8 + Math.floor(next() * 10) }, word).join(' ')}.`;
  return {
    title: Array.from({ length: 5 }, word).join(' '),
    body: Array.from({ length: 3 + Math.floor(next() * 3) }, () =>
      Array.from({ length: 2 + Math.floor(next() * 2) }, sentence).join(' '),
    ),
  };
}

/** Edits a re-scrape makes that must never stop two copies being recognized as one story. */
const EDITS: ((s: Story) => Story)[] = [
  (s) => s,
  (s) => ({ title: `${s.title.toUpperCase()}!`, body: s.body }),
  (s) => ({ title: s.title, body: s.body.map((p) => `  ${p.replace(/ /g, '  ')}\u00a0`) }),
  (s) => ({ title: s.title, body: s.body.slice(0, -1) }),
  (s) => ({ title: s.title, body: s.body.map((p, i) => (i === 0 ? `${p} An added sentence here.` : p)) }),
];

// Distinct seeds: two stories from one seed would be one story told twice.
const corpusArbitrary = fc
  .uniqueArray(
    fc.record({
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      edits: fc.array(fc.integer({ min: 0, max: EDITS.length - 1 }), { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 12, selector: (s) => s.seed },
  )
  .chain((stories) =>
    fc
      .shuffledSubarray(
        stories.flatMap((s, storyIndex) =>
          [-1, ...s.edits].map((edit) => ({ storyIndex, edit, seed: s.seed })),
        ),
        { minLength: stories.flatMap((s) => [0, ...s.edits]).length },
      )
      .map((copies) =>
        copies.map(({ storyIndex, edit, seed }, i) => {
          const base = story(seed);
          const text = edit < 0 ? base : (EDITS[edit] as (s: Story) => Story)(base);
          return {
            storyIndex,
            article: makeArticle({ title: text.title, body: text.body, file: `copy-${i}.txt` }),
          };
        }),
      ),
  );

const refs = (articles: Article[]) =>
  articles.flatMap((a) => a.sources.map((s) => `${s.file}:${s.startLine}`)).sort();

describe('dedupe invariants (property-based)', () => {
  it('loses no source, joins exactly the copies of each story, and is idempotent', () => {
    fc.assert(
      fc.property(corpusArbitrary, (copies) => {
        const input = copies.map((c) => c.article);
        const storyOf = new Map(copies.map((c) => [c.article.sources[0]?.file, c.storyIndex]));
        const result = dedupeArticles(input);
        // Nothing lost, nothing counted twice.
        expect(refs(result.articles)).toEqual(refs(input));
        // One article per story; each holds copies of one story only.
        const stories = new Set(copies.map((c) => c.storyIndex));
        expect(result.articles).toHaveLength(stories.size);
        for (const article of result.articles) {
          expect(new Set(article.sources.map((s) => storyOf.get(s.file))).size).toBe(1);
        }
        // A second pass finds nothing more to merge.
        const again = dedupeArticles(result.articles);
        expect(again.articles).toEqual(result.articles);
        expect(again.merges).toEqual([]);
      }),
      { numRuns: 150, seed: 20261124 },
    );
  });
});
