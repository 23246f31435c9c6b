import { createHash } from 'node:crypto';
import type { Article } from '../types.ts';
import { keyPrefix, slugify, titleKey, wordSimilarity } from './text.ts';

/**
 * What the state store remembers about a story so its id, slug and first-seen date never
 * move: assigned once, matched back to the article on every later build.
 */
export interface StoredIdentity {
  /** `tag:<host>,<first-seen date>:<slug>` (RFC 4151). */
  id: string;
  slug: string;
  /** When the story was first built; its date when the article gives none. */
  firstSeen: string;
  titleKey: string;
  canonicalUrl: string | null;
  /** The first source file the story was read from. */
  sourceFile: string | null;
  contentHash: string;
  /** The build time of the last content change after the first build; null if never edited. */
  editedAt: string | null;
  /**
   * The story's words (capped), to recognise an edited article by its text; stored as its
   * distinct words, sorted (`storedSample`), which compare the same. Usually a getter
   * (`withLazySample`) that reads it afresh: only matching and saving need it, and 100k samples
   * held for a whole build cost ~200 MB of heap.
   */
  textSample: string;
}

/** An edited article in the same file still shares most of its words with the stored copy. */
export const SAME_FILE_SIMILARITY = 0.6;
const TEXT_SAMPLE_WORDS = 300;

/** Hash of everything about an article a reader sees; a change means it was edited. */
export function hashArticleContent(article: Article): string {
  const visible = [
    article.title,
    article.authors,
    article.published,
    article.updated,
    article.highlights,
    article.body,
    article.analysis,
    article.related,
    article.tags,
    article.canonicalUrl,
    article.format,
  ];
  // The first 16 bytes as hex, made as a string of their own: a slice of the full hex digest
  // would keep all 64 characters alive with it (each item and identity holds one: ~6 MiB at 100k).
  return createHash('sha256').update(JSON.stringify(visible)).digest().toString('hex', 0, 16);
}

/**
 * The story's first words, recomputed on every call and cached nowhere: Articles live for the
 * whole build, so a cache keyed on them would hold every sample (~2 KB each, 200 MB at 100k
 * stories) until the end. Matching caches what it compares for one pass (see `matchIdentities`).
 */
export function textSample(article: Article): string {
  // ~8 characters a word: the cut keeps the key computation proportional to the sample.
  return keyPrefix(
    [...article.highlights, ...article.body, ...article.analysis],
    TEXT_SAMPLE_WORDS * 12,
    TEXT_SAMPLE_WORDS,
  );
}

/**
 * A sample as the state keeps it: its distinct words, sorted. Matching compares samples as sets
 * of words (`wordSimilarity`), so this compares exactly as the words in order do, a row written
 * before as well, in 27% fewer bytes on the bench corpus and 38% on a real export (repeated
 * words kept once). Sorted, so the same story always stores the same string.
 */
export function storedSample(sample: string): string {
  return [...new Set(sample.split(' '))].sort().join(' ');
}

/** Where a lazy `textSample` comes from: the state db (by id) or the story's article. */
export interface SampleSource {
  sampleOf(id: string): string;
}

const sampleSource = Symbol('textSample source');

type LazySampled = StoredIdentity & { [sampleSource]: SampleSource };

/**
 * The one getter of every lazy sample. A getter per object would put each identity in V8's
 * dictionary mode (about twice the memory, slower field reads in loops over 100k identities);
 * one shared function keeps them all on one hidden class.
 */
function readSample(this: LazySampled): string {
  return this[sampleSource].sampleOf(this.id);
}

/** A new or edited story's sample: computed from its article on each read. */
export class ArticleSample implements SampleSource {
  constructor(private readonly article: Article) {}

  sampleOf(): string {
    return textSample(this.article);
  }
}

/**
 * Where `identity`'s sample comes from, for an identity of the same story and content (same id
 * and hash): its own source when it is lazy, shared rather than wrapped (no object per story).
 */
export function sameSampleAs(identity: StoredIdentity): SampleSource {
  return (identity as Partial<LazySampled>)[sampleSource] ?? { sampleOf: () => identity.textSample };
}

/**
 * `fields` with an enumerable `textSample` getter that asks `source` on every read and keeps
 * nothing. Enumerable, so spreads, structuredClone and equality in tests still see a string
 * field; the source is a non-enumerable symbol property, which all three skip.
 */
export function withLazySample(
  fields: Omit<StoredIdentity, 'textSample'>,
  source: SampleSource,
): StoredIdentity {
  Object.defineProperty(fields, sampleSource, { value: source });
  return Object.defineProperty(fields, 'textSample', {
    get: readSample,
    enumerable: true,
    configurable: true,
  }) as StoredIdentity;
}

/** `compute(key)` once per key for as long as the returned function is held. */
function memoized<T>(compute: (key: number) => T): (key: number) => T {
  const seen = new Map<number, T>();
  return (key) => {
    let value = seen.get(key);
    if (value === undefined) {
      value = compute(key);
      seen.set(key, value);
    }
    return value;
  };
}

export function normalizeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    return parsed.href.replace(/\/$/, '');
  } catch {
    return url.trim();
  }
}

/**
 * Lookup maps over the stored identities, by position in `known`: built once per `known`
 * (a memo keeps them while every identity's url, title key and file stay the same).
 */
export interface KnownIndex {
  byUrl: Map<string, number>;
  byTitle: Map<string, number>;
  byFile: Map<string, number[]>;
}

export function indexKnown(known: StoredIdentity[]): KnownIndex {
  const byUrl = new Map<string, number>();
  const byTitle = new Map<string, number>();
  const byFile = new Map<string, number[]>();
  known.forEach((identity, i) => {
    if (identity.canonicalUrl) byUrl.set(identity.canonicalUrl, i);
    if (!byTitle.has(identity.titleKey)) byTitle.set(identity.titleKey, i);
    if (identity.sourceFile) pushTo(byFile, identity.sourceFile, i);
  });
  return { byUrl, byTitle, byFile };
}

/** Whether an index of `before` indexes `after` too (the same ids and keys at the same positions). */
export function sameKnownKeys(before: StoredIdentity[], after: StoredIdentity[]): boolean {
  if (before.length !== after.length) return false;
  for (let i = 0; i < before.length; i++) {
    const a = before[i] as StoredIdentity;
    const b = after[i] as StoredIdentity;
    if (a === b) continue;
    if (
      a.id !== b.id ||
      a.canonicalUrl !== b.canonicalUrl ||
      a.titleKey !== b.titleKey ||
      a.sourceFile !== b.sourceFile
    )
      return false;
  }
  return true;
}

/** What matching computes per article, when the caller already has it (a memo), and what it reports. */
export interface MatchKeys {
  /** `indexKnown(known)`. */
  index?: KnownIndex;
  /** Per article: `normalizeUrl(article.canonicalUrl)`. */
  urls?: (string | null)[];
  /** Per article: `titleKey(article.title)`. */
  titleKeys?: string[];
  /**
   * Filled in: per article, the position in `known` of its match (-1: none), and whether any
   * text sample was compared (else the result follows from URLs, title keys and files alone).
   */
  report?: { positions: number[]; usedSamples: boolean };
}

/**
 * Finds the stored identity of each article, most certain evidence first: the same canonical
 * URL, then the same title (modulo case and punctuation), then a shared source file with
 * mostly the same words (the title was edited). Each stored identity is claimed at most once.
 * Returns, per article index, the matched identity or undefined (a new story).
 */
export function matchIdentities(
  articles: Article[],
  known: StoredIdentity[],
  keys: MatchKeys = {},
): (StoredIdentity | undefined)[] {
  const positions: number[] = articles.map(() => -1);
  const report = keys.report;
  if (report) {
    report.positions = positions;
    report.usedSamples = false;
  }
  // A first build: nothing to match (and no keys or samples to compute for it).
  if (known.length === 0) return articles.map(() => undefined);
  const claimed = new Set<string>();
  const claim = (index: number, position: number | undefined): void => {
    if (position === undefined || positions[index] !== -1) return;
    const identity = known[position] as StoredIdentity;
    if (claimed.has(identity.id)) return;
    positions[index] = position;
    claimed.add(identity.id);
  };

  const index = keys.index ?? indexKnown(known);
  // Words compared in this pass only: a stored sample is a read from the state db, an article's
  // a pass over its text, and either may be compared several times (several candidates a file).
  const words: SampleWords = {
    article: memoized((i) => textSample(articles[i] as Article).split(' ')),
    known: memoized((position) => (known[position] as StoredIdentity).textSample.split(' ')),
  };
  for (let i = 0; i < articles.length; i++) {
    const url = keys.urls ? keys.urls[i] : normalizeUrl((articles[i] as Article).canonicalUrl);
    if (url) claim(i, index.byUrl.get(url));
  }
  // Several articles may share a stored title (two stories, one headline): the stored story
  // goes to the copy from its own file, else to the one whose words are closest.
  const byTitleKey = new Map<string, number | number[]>();
  for (let i = 0; i < articles.length; i++) {
    if (positions[i] !== -1) continue;
    const key = keys.titleKeys ? (keys.titleKeys[i] as string) : titleKey((articles[i] as Article).title);
    const seen = byTitleKey.get(key);
    if (seen === undefined) byTitleKey.set(key, i);
    else if (typeof seen === 'number') byTitleKey.set(key, [seen, i]);
    else seen.push(i);
  }
  for (const [key, indexes] of byTitleKey) {
    const position = index.byTitle.get(key);
    if (position === undefined || claimed.has((known[position] as StoredIdentity).id)) continue;
    if (typeof indexes === 'number') {
      claim(indexes, position);
      continue;
    }
    if (report) report.usedSamples = true;
    const best = closestCopy(articles, indexes, known[position] as StoredIdentity, words, position);
    if (best !== undefined) claim(best, position);
  }
  articles.forEach((article, i) => {
    if (positions[i] !== -1) return;
    // Every file the article was read from: a re-export merged into a story already built
    // lists the stored story's file second, and the story must keep its id and page URL.
    const files = new Set(article.sources.map((source) => source.file));
    const candidates = [...files].flatMap((file) => index.byFile.get(file) ?? []);
    if (candidates.length === 0) return;
    if (report) report.usedSamples = true;
    let best: { position: number; score: number } | undefined;
    for (const position of candidates) {
      const identity = known[position] as StoredIdentity;
      if (claimed.has(identity.id)) continue;
      const score = wordSimilarity(words.article(i), words.known(position));
      if (score >= SAME_FILE_SIMILARITY && (!best || score > best.score)) best = { position, score };
    }
    claim(i, best?.position);
  });
  return positions.map((position) => (position === -1 ? undefined : known[position]));
}

interface SampleWords {
  /** By article index. */
  article: (i: number) => string[];
  /** By position in `known`. */
  known: (position: number) => string[];
}

/** Of several articles with the stored title: the one from its file, else the closest words. */
function closestCopy(
  articles: Article[],
  indexes: number[],
  identity: StoredIdentity,
  words: SampleWords,
  position: number,
): number | undefined {
  // One pass, each closeness computed once (a sort would compute each again per comparison):
  // the closest, ties to the lowest index.
  let best: number | undefined;
  let bestCloseness = Number.NEGATIVE_INFINITY;
  for (const i of indexes) {
    const article = articles[i] as Article;
    const sameFile = article.sources[0]?.file === identity.sourceFile ? 1 : 0;
    const closeness = sameFile * 2 + wordSimilarity(words.article(i), words.known(position));
    if (closeness > bestCloseness || (closeness === bestCloseness && i < (best as number))) {
      best = i;
      bestCloseness = closeness;
    }
  }
  return best;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Per set of taken slugs, per base slug, the suffix to try next. Sets only grow while slugs are
 * allocated, so every suffix below it is taken: starting there gives the same slug as counting
 * from 2, without walking past all of them again. A results desk's "Daily Market Report" a day
 * would otherwise cost a walk as long as the archive per new story.
 */
const nextSuffix = new WeakMap<Set<string>, Map<string, number>>();

/**
 * A slug from the title, unique among `taken` (the first free of `base`, `base-2`, `base-3`…);
 * titles with no Latin letters get a hash slug. Adds it to `taken`, which must only grow.
 */
export function allocateSlug(title: string, taken: Set<string>): string {
  const base = slugify(title) || `story-${createHash('sha256').update(title).digest('hex').slice(0, 10)}`;
  let suffixes = nextSuffix.get(taken);
  if (!suffixes) {
    suffixes = new Map();
    nextSuffix.set(taken, suffixes);
  }
  let slug = base;
  let n = 2;
  if (taken.has(slug)) {
    n = suffixes.get(base) ?? 2;
    slug = `${base}-${n}`;
    while (taken.has(slug)) slug = `${base}-${++n}`;
    suffixes.set(base, n + 1);
  }
  taken.add(slug);
  return slug;
}

/** RFC 4151 tag URI; the host has no port (a tag's authority is a bare domain name). */
export function tagUri(host: string, firstSeen: string, slug: string): string {
  return `tag:${host.toLowerCase()},${firstSeen.slice(0, 10)}:${slug}`;
}
