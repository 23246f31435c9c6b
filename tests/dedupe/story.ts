import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Article } from '../../src/types.ts';
import { makeArticle } from './articles.ts';

const story = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'story-paragraphs.json'), 'utf8'),
) as {
  title: string;
  body: string[];
};

/** The ferry story of fixtures/story-paragraphs.json, read from `file`, with `changes`. */
export function ferryStory(file: string, changes: Partial<Article> = {}, line = 1): Article {
  return makeArticle({ title: story.title, body: [...story.body], file, line, ...changes });
}

export const ferryParagraphs: readonly string[] = story.body;
