import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Article } from '../../src/types.ts';

/** One labelled pair from tests/dedupe/fixtures/pairs: two copies and whether they are one story. */
export interface LabelledPair {
  name: string;
  label: 'duplicate' | 'different';
  kind: string;
  note: string;
  /** Story ids of `a` and `b`: copies of one story share an id across the whole set. */
  stories: [string, string];
  a: Article;
  b: Article;
}

const PAIRS_DIR = join(import.meta.dirname, 'fixtures', 'pairs');

export function loadLabelledPairs(): LabelledPair[] {
  return readdirSync(PAIRS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.json$/, ''),
      ...(JSON.parse(readFileSync(join(PAIRS_DIR, file), 'utf8')) as Omit<LabelledPair, 'name'>),
    }));
}
