import {
  decodeStoryKeys,
  encodeStoryKeys,
  keysAt,
  STORY_KEY_COUNT,
  type StoryKeys,
  writeStoryKeys,
} from '../dedupe/index.ts';
import { contentHashOf } from '../normalize/index.ts';
import type { Article } from '../types.ts';
import { codeVersion } from './code-version.ts';
import type { Derivation } from './read.ts';

/**
 * What dedupe and normalize work out of one story's text alone: its index keys and the content
 * hash its item will carry. Worked out once, when the file is parsed and the text is in memory,
 * and kept beside the parse in the cache: a rebuild hands them to dedupe (`known`) and normalize
 * (`knownHashes`), so an unchanged story's text is loaded only if it is shown (its page) or
 * compared (a candidate pair). A merged story is a new article and is worked out anew.
 */

/** What one file's kept value holds; `code` is the code that worked it out. */
interface KeptDigests {
  code: string;
  hashes: string[];
  keys: string;
}

/**
 * The digests of one build's articles, by article object (one build: the tables only grow). Held in two tables (every story's
 * keys in one typed array, the hashes in one array) and a place per article: a typed array per
 * file or per story held through normalize raised a 100k build's peak RSS from 972 to 1,037-1,187
 * MiB (each is two objects and a backing store of its own).
 */
export class StoryDigests implements Derivation {
  readonly #place = new WeakMap<Article, number>();
  #keys = new Uint32Array(1024 * STORY_KEY_COUNT);
  readonly #hashes: string[] = [];

  /** For `dedupeArticles`'s `known`. */
  readonly keysOf = (article: Article): StoryKeys | undefined => {
    const place = this.#place.get(article);
    return place === undefined ? undefined : keysAt(this.#keys, place);
  };

  /** For `NormalizeOptions.knownHashes`. */
  readonly hashOf = (article: Article): string | undefined => {
    const place = this.#place.get(article);
    return place === undefined ? undefined : this.#hashes[place];
  };

  derive(articles: Article[]): string {
    const keys = new Uint32Array(articles.length * STORY_KEY_COUNT);
    articles.forEach((article, i) => {
      writeStoryKeys(article, keys, i * STORY_KEY_COUNT);
    });
    const hashes = articles.map(contentHashOf);
    this.#take(articles, keys, hashes);
    const kept: KeptDigests = { code: codeVersion(), hashes, keys: encodeStoryKeys(keys) };
    return JSON.stringify(kept);
  }

  adopt(articles: Article[], kept: string): boolean {
    const digests = keptDigests(kept, articles.length);
    if (!digests) return false;
    this.#take(articles, digests.keys, digests.hashes);
    return true;
  }

  carry(from: Article[], to: Article[]): void {
    from.forEach((article, i) => {
      const place = this.#place.get(article);
      const copy = to[i];
      if (place !== undefined && copy !== undefined) this.#place.set(copy, place);
    });
  }

  #take(articles: Article[], keys: Uint32Array, hashes: string[]): void {
    const first = this.#hashes.length;
    const needed = (first + articles.length) * STORY_KEY_COUNT;
    if (needed > this.#keys.length) {
      const grown = new Uint32Array(Math.max(needed, this.#keys.length * 2));
      grown.set(this.#keys);
      this.#keys = grown;
    }
    this.#keys.set(keys, first * STORY_KEY_COUNT);
    articles.forEach((article, i) => {
      this.#place.set(article, first + i);
      this.#hashes.push(hashes[i] as string);
    });
  }
}

/**
 * The digests in a kept value, or undefined when they cannot be trusted: worked out by other
 * code (an upgrade, an edit to src/: the keys or the hash may be computed differently now), for
 * another number of stories, or damaged.
 */
function keptDigests(text: string, count: number): { keys: Uint32Array; hashes: string[] } | undefined {
  let kept: Partial<KeptDigests>;
  try {
    kept = JSON.parse(text) as Partial<KeptDigests>;
  } catch {
    return undefined;
  }
  if (kept?.code !== codeVersion() || typeof kept.keys !== 'string' || !Array.isArray(kept.hashes)) {
    return undefined;
  }
  const { hashes } = kept;
  if (hashes.length !== count || !hashes.every((hash) => typeof hash === 'string')) return undefined;
  const keys = decodeStoryKeys(kept.keys, count);
  return keys && { keys, hashes };
}
