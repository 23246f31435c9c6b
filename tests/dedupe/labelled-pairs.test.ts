import { describe, expect, it } from 'vitest';
import { compareArticles, dedupeArticles, THRESHOLDS } from '../../src/dedupe/index.ts';
import { loadLabelledPairs } from './pairs.ts';

const pairs = loadLabelledPairs();
const duplicates = pairs.filter((pair) => pair.label === 'duplicate');
const different = pairs.filter((pair) => pair.label === 'different');

describe('labelled pairs (tests/dedupe/fixtures/pairs)', () => {
  it('has at least 15 duplicate pairs and 15 different-story pairs', () => {
    expect(duplicates.length).toBeGreaterThanOrEqual(15);
    expect(different.length).toBeGreaterThanOrEqual(15);
    expect(different.filter((pair) => pair.kind === 'next-day-follow-up').length).toBeGreaterThanOrEqual(15);
  });

  it.each(duplicates.map((pair) => [pair.name, pair] as const))(
    '%s collapses to one article',
    (_name, pair) => {
      const result = dedupeArticles([pair.a, pair.b]);
      expect(result.articles).toHaveLength(1);
      expect(result.merges).toHaveLength(1);
      expect(result.articles[0]?.sources).toHaveLength(2);
    },
  );

  it.each(different.map((pair) => [pair.name, pair] as const))('%s stays two articles', (_name, pair) => {
    const result = dedupeArticles([pair.a, pair.b]);
    expect(result.articles).toEqual([pair.a, pair.b]);
    expect(result.merges).toEqual([]);
  });

  it('has precision 1 and recall 1 over the whole set', () => {
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    for (const pair of pairs) {
      const merged = compareArticles(pair.a, pair.b).sameStory;
      if (merged && pair.label === 'duplicate') truePositives++;
      if (merged && pair.label === 'different') falsePositives++;
      if (!merged && pair.label === 'duplicate') falseNegatives++;
    }
    expect(truePositives / (truePositives + falsePositives)).toBe(1);
    expect(truePositives / (truePositives + falseNegatives)).toBe(1);
  });

  it('separates the classes with a margin on each side of every threshold', () => {
    const t = THRESHOLDS;
    const sims = (list: typeof pairs) =>
      list.map((pair) => ({ name: pair.name, ...compareArticles(pair.a, pair.b) }));
    // Duplicates: text contained, and the same headline or the same lead under a related one.
    for (const s of sims(duplicates)) {
      expect(s.containment, s.name).toBeGreaterThan(t.containment + 0.3);
      const sameHeadline = s.title > t.title + 0.3;
      const sameLead = s.lead > t.lead + 0.3 && s.title > t.titleWithSameLead + 0.05;
      expect(sameHeadline || sameLead, s.name).toBe(true);
    }
    // Next-day reports share people and topic words, not sentences.
    for (const s of sims(different.filter((pair) => pair.kind === 'next-day-follow-up'))) {
      expect(s.containment, s.name).toBeLessThan(t.containment - 0.3);
    }
    // Different stories that do share text (reused background, boilerplate) open differently.
    for (const s of sims(different).filter((s) => s.containment >= t.containment - 0.1)) {
      expect(s.title, s.name).toBeLessThan(t.title - 0.3);
      expect(s.lead < t.lead - 0.3 || s.title < t.titleWithSameLead - 0.1, s.name).toBe(true);
    }
  });

  it('groups exactly the copies of each story when all pairs are deduplicated together', () => {
    // The set reuses its base stories (a duplicate pair and a follow-up pair share the same
    // original), so one run over everything must find each story's copies across pairs too.
    const storyOf = new Map<string, string>();
    const articles = pairs.flatMap((pair) =>
      (['a', 'b'] as const).map((side, i) => {
        const file = `${pair.name}/${side}.txt`;
        storyOf.set(file, pair.stories[i] as string);
        return { ...pair[side], sources: [{ file, startLine: 1, endLine: 20 }] };
      }),
    );
    const result = dedupeArticles(articles);
    const stories = new Set(storyOf.values());
    expect(result.articles).toHaveLength(stories.size);
    for (const article of result.articles) {
      const storiesInArticle = new Set(article.sources.map((source) => storyOf.get(source.file)));
      expect([...storiesInArticle], article.title).toHaveLength(1);
    }
  });
});
