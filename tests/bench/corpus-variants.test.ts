// The bench's corpus shapes must have the properties they are named for, or a flat per-story
// cost on them proves nothing. Checked on small corpora with the real parser; no timing here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSourceFile } from '../../src/ingest/index.ts';
import { titleKey } from '../../src/normalize/index.ts';
import type { Article } from '../../src/types.ts';
import { tempDir } from '../helpers/temp.ts';
import { type CorpusVariant, corpusDirName, ensureCorpus, makeStory, storyTitle } from './corpus.ts';

const temp = tempDir('bench-variants-');

function parseCorpus(variant: CorpusVariant, articles: number): { articles: Article[]; errors: number } {
  const corpus = ensureCorpus(join(temp, variant), { articles, seed: 1, variant });
  const parsed: Article[] = [];
  let errors = 0;
  for (const name of readdirSync(corpus.articlesDir).sort()) {
    const path = join(corpus.articlesDir, name);
    const result = parseSourceFile(
      { path, bytes: readFileSync(path) },
      { maxFileBytes: 5_000_000, timeZone: 'America/New_York' },
    );
    parsed.push(...result.articles);
    errors += result.diagnostics.filter((d) => d.severity === 'error').length;
  }
  return { articles: parsed, errors };
}

describe('corpus shapes', () => {
  it('keeps the standard corpus where it was (same folder, same stories) and names the others apart', () => {
    expect(corpusDirName({ articles: 10, seed: 1, variant: 'standard' })).toBe(
      corpusDirName({ articles: 10, seed: 1 }),
    );
    expect(corpusDirName({ articles: 10, seed: 1, variant: 'scores' })).not.toBe(
      corpusDirName({ articles: 10, seed: 1 }),
    );
    expect(makeStory({ articles: 50, seed: 1, variant: 'standard' }, 7)).toEqual(
      makeStory({ articles: 50, seed: 1 }, 7),
    );
  });

  it('scores: a title vocabulary of under 200 words, most words in thousands of titles', () => {
    const params = { articles: 5000, seed: 1, variant: 'scores' as const };
    const counts = new Map<string, number>();
    for (let i = 0; i < params.articles; i++) {
      for (const word of new Set(titleKey(storyTitle(params, i)).split(' ')))
        counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    expect(counts.size).toBeLessThan(200);
    // The rarest word of a typical title (a place) is still in hundreds of titles.
    const inHundreds = [...counts.values()].filter((n) => n >= 100).length;
    expect(inHundreds).toBeGreaterThan(counts.size / 2);
  });

  it('scores: every file parses; ~10 related titles a story, most naming stories outside it', () => {
    const { articles, errors } = parseCorpus('scores', 300);
    expect(errors).toBe(0);
    expect(articles.some((a) => a.format === 'markdown')).toBe(true);
    const titles = new Set(articles.map((a) => titleKey(a.title)));
    const related = articles.flatMap((a) => a.related);
    expect(related.length / articles.length).toBeGreaterThan(8);
    const inArchive = related.filter((title) => titles.has(titleKey(title))).length;
    expect(inArchive / related.length).toBeLessThan(0.35);
  });

  it('near-miss: many related titles differ from one of ours by a word', () => {
    const params = { articles: 400, seed: 1, variant: 'near-miss' as const };
    const ours = new Set(Array.from({ length: params.articles }, (_, i) => titleKey(storyTitle(params, i))));
    // Titles end in the story's index in base 36 (a unique word): a near miss keeps most words.
    const byLast = new Map([...ours].map((key) => [key.split(' ').at(-1), key]));
    let nearMisses = 0;
    let related = 0;
    for (let i = 0; i < params.articles; i++) {
      for (const title of makeStory(params, i).related) {
        related++;
        const key = titleKey(title);
        const words = key.split(' ');
        const close = byLast.get(words.at(-1)) ?? byLast.get(words.at(-2));
        if (!ours.has(key) && close && close !== key) nearMisses++;
      }
    }
    expect(nearMisses / related).toBeGreaterThan(0.15);
  });

  it('crowd: thousands of authors and topic tags, and a quarter of stories re-exported', () => {
    const corpus = ensureCorpus(join(temp, 'crowd-stats'), { articles: 1500, seed: 1, variant: 'crowd' });
    expect(corpus.manifest.stats.crossFileNearDuplicates / 1500).toBeGreaterThan(0.2);
    const authors = new Set<string>();
    const tags = new Set<string>();
    for (let i = 0; i < 1500; i++) {
      const story = makeStory(corpus.manifest.params, i);
      for (const author of story.authors) authors.add(author);
      for (const tag of story.tags ?? []) tags.add(tag);
    }
    expect(authors.size).toBeGreaterThan(1000);
    expect(tags.size).toBeGreaterThan(600);
    const { articles, errors } = parseCorpus('crowd', 200);
    expect(errors).toBe(0);
    expect(articles.filter((a) => a.tags.length > 0).length).toBeGreaterThan(50);
  });
});
