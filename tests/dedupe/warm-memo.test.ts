import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DedupeMemo, dedupeArticles, dedupeArticlesWithStats } from '../../src/dedupe/index.ts';
import { memoSizes } from '../../src/dedupe/memo.ts';
import type { Article } from '../../src/types.ts';
import { rng } from '../helpers/rng.ts';
import { makeArticle } from './articles.ts';
import { deepFreeze } from './freeze.ts';
import { loadLabelledPairs } from './pairs.ts';
import { ferryParagraphs, ferryStory } from './story.ts';

const SYLLABLES = ['ka', 'lo', 'mi', 'ten', 'sur', 'ba', 'drei', 'po', 'ven', 'ul', 'sha', 'rin'];
const VOCABULARY = Array.from({ length: 2000 }, (_, i) => {
  let word = '';
  for (let n = i + 1; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
  return word;
});

/**
 * The text of story `n`. Besides ordinary stories there are the shapes that take other paths
 * through the index: no text at all (paired by title; two titles only, so they collide), only
 * highlights, and a text shorter than the lead key.
 */
function storyText(n: number): Pick<Article, 'title' | 'body' | 'highlights'> {
  const next = rng(n * 7919 + 1);
  const word = () => VOCABULARY[Math.floor(next() ** 2 * VOCABULARY.length)] as string;
  const words = (count: number) => Array.from({ length: count }, word).join(' ');
  const paragraphs = () =>
    Array.from({ length: 2 + Math.floor(next() * 3) }, () => `${words(15 + Math.floor(next() * 20))}.`);
  switch (n % 8) {
    case 0:
      return { title: `Notice ${n % 16}`, body: [], highlights: [] };
    case 1:
      return { title: words(5), body: [], highlights: paragraphs() };
    case 2:
      return { title: words(4), body: [`${words(6)}.`], highlights: [] };
    default:
      return { title: words(6), body: paragraphs(), highlights: [] };
  }
}

const FILES = ['a.txt', 'b.md', 'c.txt', 'd.txt'];

function newArticle(story: number, file: number, line: number): Article {
  return deepFreeze(makeArticle({ ...storyText(story), file: FILES[file % FILES.length], line }));
}

/** A new object: the article after an edit of the given kind (a re-scrape, a fix, a rewrite). */
function edited(article: Article, kind: number, value: number): Article {
  const body = article.body;
  switch (kind % 9) {
    case 0: // one paragraph changed a little: still the same story
      return {
        ...article,
        body: body.map((p, i) => (i === value % Math.max(1, body.length) ? `${p} Also ${value}.` : p)),
      };
    case 1: // truncated
      return { ...article, body: body.slice(0, Math.max(1, body.length - 1)) };
    case 2: // rewritten as another story
      return { ...article, ...storyText(value) };
    case 3: // headline changed
      return { ...article, title: `${article.title} update ${value % 3}` };
    case 4: // metadata that ranks copies
      return {
        ...article,
        authors: value % 2 ? ['Ann Lee'] : [],
        published: `2026-11-${10 + (value % 9)}T08:00:00Z`,
      };
    case 5:
      return { ...article, highlights: value % 2 ? [`Point ${value}.`] : [], related: [`Related ${value}`] };
    case 6: // read from elsewhere (often the same place as another copy: a tie)
      return {
        ...article,
        sources: [{ file: FILES[value % FILES.length] as string, startLine: value % 3, endLine: 9 }],
      };
    case 7: // the same content, a new object
      return { ...article };
    default: // emptied
      return { ...article, body: [], highlights: [] };
  }
}

type Op =
  | { kind: 'add'; story: number; file: number; line: number }
  | { kind: 'addMany'; story: number; count: number; file: number }
  | { kind: 'copy'; at: number }
  | { kind: 'remove'; at: number }
  | { kind: 'edit'; at: number; edit: number; value: number }
  | { kind: 'move'; from: number; to: number }
  | { kind: 'reverse' }
  | { kind: 'repeatObject'; at: number }
  | { kind: 'same' };

const story = fc.integer({ min: 0, max: 23 });
const at = fc.nat({ max: 1000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('add' as const), story, file: fc.nat(3), line: fc.nat(3) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('addMany' as const),
      story,
      count: fc.integer({ min: 2, max: 70 }),
      file: fc.nat(3),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('copy' as const), at }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), at }) },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('edit' as const), at, edit: fc.nat(8), value: fc.nat(30) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('move' as const), from: at, to: at }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'reverse' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('repeatObject' as const), at }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'same' as const }) },
);

function apply(articles: Article[], step: Op): Article[] {
  const next = [...articles];
  const pick = (n: number) => n % Math.max(1, next.length);
  switch (step.kind) {
    case 'add':
      next.push(newArticle(step.story, step.file, step.line));
      break;
    case 'addMany':
      // Enough copies of one text to make an oversized bucket (linked as a star).
      for (let i = 0; i < step.count; i++) next.push(newArticle(step.story, step.file + i, 1 + i));
      break;
    case 'copy': // the same place read again: equal content and source, a new object
      if (next.length > 0) next.push(deepFreeze({ ...(next[pick(step.at)] as Article) }));
      break;
    case 'remove':
      next.splice(pick(step.at), 1);
      break;
    case 'edit':
      if (next.length > 0)
        next[pick(step.at)] = deepFreeze(edited(next[pick(step.at)] as Article, step.edit, step.value));
      break;
    case 'move': {
      const [moved] = next.splice(pick(step.from), 1);
      if (moved) next.splice(pick(step.to), 0, moved);
      break;
    }
    case 'reverse':
      next.reverse();
      break;
    case 'repeatObject':
      if (next.length > 0) next.push(next[pick(step.at)] as Article);
      break;
    case 'same':
      break;
  }
  return next;
}

const initial = fc.array(fc.record({ story, file: fc.nat(3), line: fc.nat(3) }), { maxLength: 30 });

describe('dedupe with a warm memo', () => {
  it('gives the result of a call without memo after any sequence of edits', () => {
    fc.assert(
      fc.property(initial, fc.array(op, { minLength: 5, maxLength: 30 }), (start, ops) => {
        const memo = new DedupeMemo();
        let input = start.map((s) => newArticle(s.story, s.file, s.line));
        let previous: { input: Article[]; articles: Article[] } | null = null;
        for (const step of [{ kind: 'same' } as Op, ...ops]) {
          input = apply(input, step);
          const inputs = new Set(input);
          const actual = dedupeArticlesWithStats(input, memo);
          const expected = dedupeArticlesWithStats(input);
          expect(actual).toEqual(expected);
          // Unmerged articles are the input objects themselves; merged ones never are.
          expected.articles.forEach((article, i) => {
            if (inputs.has(article)) expect(actual.articles[i]).toBe(article);
            else expect(inputs.has(actual.articles[i] as Article)).toBe(false);
          });
          // The same objects in the same order: the very same output objects.
          if (
            previous &&
            previous.input.length === input.length &&
            previous.input.every((a, i) => a === input[i])
          ) {
            expect(actual.articles.length).toBe(previous.articles.length);
            actual.articles.forEach((article, i) => {
              expect(article).toBe(previous?.articles[i]);
            });
          }
          previous = { input, articles: actual.articles };
          // The memo holds the last call only (only its merged stories after a repeated object).
          const sizes = memoSizes(memo);
          const repeats = inputs.size < input.length;
          expect(sizes.slots).toBe(repeats ? 0 : input.length);
          expect(sizes.verdicts).toBe(repeats ? 0 : expected.stats.candidatePairs);
          expect(sizes.pairCounts).toBeLessThanOrEqual(sizes.verdicts);
          if (repeats) expect(sizes.tableEntries).toBe(0);
          expect(sizes.groups).toBe(expected.merges.length);
        }
      }),
      { numRuns: 120, seed: 20261125 },
    );
  });

  it('finds oversized buckets the same way (a star from the first copy in source order)', () => {
    // 80 copies of one text: every band bucket is larger than MAX_BUCKET_PAIRS.
    const copies = Array.from({ length: 80 }, (_, i) =>
      deepFreeze(ferryStory(`f${(i * 37) % 80}.txt`, { title: `Ferry ${i}` })),
    );
    const memo = new DedupeMemo();
    let input = copies;
    for (const change of [
      (list: Article[]) => list,
      (list: Article[]) => list.slice(1),
      (list: Article[]) => [...list].reverse(),
      (list: Article[]) => [deepFreeze(ferryStory('a-first.txt')), ...list],
      (list: Article[]) => list.filter((a) => a.sources[0]?.file !== 'a-first.txt'),
      // Two copies, first in source order, that also share small buckets of their own (the bands
      // their extra paragraph changed): the pair is found both ways and counted once.
      (list: Article[]) => [
        ...list,
        ...['0-a.txt', '0-b.txt'].map((file) =>
          deepFreeze(
            ferryStory(file, { body: [...ferryParagraphs, 'A closing paragraph on the timetable.'] }),
          ),
        ),
      ],
      (list: Article[]) => list.slice(0, -1),
    ]) {
      input = change(input);
      expect(dedupeArticlesWithStats(input, memo)).toEqual(dedupeArticlesWithStats(input));
    }
  });

  it('returns the same merged object while its copies are unchanged, a new one after an edit', () => {
    const a = deepFreeze(ferryStory('a.txt'));
    const b = deepFreeze(ferryStory('b.txt', { body: ferryParagraphs.slice(0, 3) }));
    const other = deepFreeze(
      makeArticle({ title: 'Other', body: ['Something else entirely, told at length.'] }),
    );
    const memo = new DedupeMemo();
    const first = dedupeArticles([a, other, b], memo);
    expect(first.articles).toHaveLength(2);
    expect(first.articles[1]).toBe(other);
    const otherEdited = deepFreeze({ ...other, body: ['Something else again.'] });
    const second = dedupeArticles([a, otherEdited, b], memo);
    expect(second.articles[0]).toBe(first.articles[0]);
    expect(second.merges[0]).toBe(first.merges[0]);
    expect(second.articles[1]).toBe(otherEdited);
    const aEdited = deepFreeze({ ...a, authors: ['Ann Lee'] });
    const third = dedupeArticles([aEdited, otherEdited, b], memo);
    expect(third.articles[0]).not.toBe(first.articles[0]);
    expect(third.articles[0]?.authors).toEqual(['Ann Lee']);
    expect(third).toEqual(dedupeArticles([aEdited, otherEdited, b]));
  });
  it('orders copies read from the same place by input position, as that changes', () => {
    // Copies with the same source rank equal: the one earlier in the input is canonical.
    const copy = (n: number) => deepFreeze(ferryStory('same.txt', { title: `Ferry timetable notice ${n}` }));
    const [x, y, z] = [copy(1), copy(2), copy(3)];
    const unrelated = deepFreeze(
      makeArticle({ title: 'Other', body: ['Something else entirely, told at length.'], file: 'same.txt' }),
    );
    const steps = [
      [x, unrelated, y],
      [x, y], // a tie across a removed article
      [y, x],
      [z, y, x], // a tie with an added article
      [y, z, x],
      [x, y, z],
    ];
    const memo = new DedupeMemo();
    for (const input of steps) {
      const expected = dedupeArticlesWithStats(input);
      expect(dedupeArticlesWithStats(input, memo)).toEqual(expected);
      expect(expected.articles[0]?.title).toBe(input[0]?.title);
    }
  });

  it('is not left half-updated by a call that throws', () => {
    const a = deepFreeze(ferryStory('a.txt'));
    const other = deepFreeze(
      makeArticle({ title: 'Other', body: ['Something else entirely, told at length.'] }),
    );
    const copy = deepFreeze(ferryStory('c.txt'));
    const broken = { ...other, body: undefined } as unknown as Article;
    const memo = new DedupeMemo();
    dedupeArticles([a, other], memo);
    expect(() => dedupeArticles([a, other, copy, broken], memo)).toThrow(TypeError);
    const input = [a, other, copy];
    expect(dedupeArticlesWithStats(input, memo)).toEqual(dedupeArticlesWithStats(input));
  });
});

describe('dedupe inputs', () => {
  function corpus(): Article[] {
    return loadLabelledPairs().flatMap((pair) =>
      (['a', 'b'] as const).map((side) => ({
        ...pair[side],
        sources: [{ file: `${pair.name}/${side}.txt`, startLine: 1, endLine: 20 }],
      })),
    );
  }

  it('are never written to, with or without a memo', () => {
    const frozen = deepFreeze(corpus());
    const expected = dedupeArticlesWithStats(corpus());
    expect(expected.stats.duplicatePairs).toBeGreaterThan(0);
    expect(dedupeArticlesWithStats(frozen)).toEqual(expected);
    const memo = new DedupeMemo();
    expect(dedupeArticlesWithStats(frozen, memo)).toEqual(expected);
    const edited = deepFreeze([...frozen.slice(1), { ...(frozen[0] as Article), title: 'Edited' }]);
    expect(dedupeArticlesWithStats(edited, memo)).toEqual(dedupeArticlesWithStats(edited));
    expect(frozen).toEqual(corpus());
  });
});
