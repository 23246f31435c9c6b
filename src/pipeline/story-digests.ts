import { decodeStoryKeys, encodeStoryKeys, type StoryKeys, storyKeys } from '../dedupe/index.ts';
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
interface StoryDigest {
  keys: StoryKeys;
  contentHash: string;
}

/** What one file's kept value holds; `code` is the code that worked it out. */
interface KeptDigests {
  code: string;
  hashes: string[];
  keys: string;
}

/**
 * The digests of a build's articles, by article object (a WeakMap: a warm rebuild's memo keeps
 * this across builds, and an article no longer read is collected with its entry).
 */
export class StoryDigests implements Derivation {
  readonly #byArticle = new WeakMap<Article, StoryDigest>();

  /** For `dedupeArticles`'s `known`. */
  readonly keysOf = (article: Article): StoryKeys | undefined => this.#byArticle.get(article)?.keys;

  /** For `NormalizeOptions.knownHashes`. */
  readonly hashOf = (article: Article): string | undefined => this.#byArticle.get(article)?.contentHash;

  derive(articles: Article[]): string {
    const keys = articles.map(storyKeys);
    const hashes = articles.map(contentHashOf);
    articles.forEach((article, i) => {
      this.#byArticle.set(article, { keys: keys[i] as StoryKeys, contentHash: hashes[i] as string });
    });
    const kept: KeptDigests = { code: codeVersion(), hashes, keys: encodeStoryKeys(keys) };
    return JSON.stringify(kept);
  }

  adopt(articles: Article[], kept: string): boolean {
    const digests = keptDigests(kept, articles.length);
    if (!digests) return false;
    articles.forEach((article, i) => {
      this.#byArticle.set(article, digests[i] as StoryDigest);
    });
    return true;
  }
}

/**
 * The digests in a kept value, or undefined when they cannot be trusted: worked out by other
 * code (an upgrade, an edit to src/: the keys or the hash may be computed differently now), for
 * another number of stories, or damaged.
 */
function keptDigests(text: string, count: number): StoryDigest[] | undefined {
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
  return keys?.map((storyKeys, i) => ({ keys: storyKeys, contentHash: hashes[i] as string }));
}
