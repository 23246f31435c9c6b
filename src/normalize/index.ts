import type { TopicRule } from '../config/index.ts';
import type { Article, Diagnostic, Item } from '../types.ts';
import { matchIdentities, type StoredIdentity } from './identity.ts';
import { itemOf } from './item.ts';
import { NormalizeMemo, normalizeWithMemo } from './memo.ts';
import { type RelatedMemo, resolveAllRelated } from './related.ts';
import {
  cleanArticle,
  compareBySource,
  currentIdentity,
  type KnownHashes,
  nextIdentity,
  safeHttpUrl,
  storyDates,
  toUtcIso,
  validDate,
  withTitle,
} from './steps.ts';
import { assignTopics } from './topics.ts';

export { type SampleSource, type StoredIdentity, storedSample, withLazySample } from './identity.ts';
export { NormalizeMemo } from './memo.ts';
export {
  createRelatedIndex,
  type RelatedIndex,
  type RelatedMemo,
  type RelatedTarget,
  resolveAllRelated,
} from './related.ts';
export { contentHashOf, type KnownHashes } from './steps.ts';
export { markdownToText, summarize, summaryNeedsBody, truncateAtWord } from './summary.ts';
export {
  cleanLabel,
  cleanLine,
  graphemeBoundaryAtOrBefore,
  slugify,
  stripBidiControls,
  stripForbiddenChars,
  titleKey,
} from './text.ts';
export { assignTopics, ruleTopic } from './topics.ts';

export interface NormalizeOptions {
  /** Absolute site URL ending in "/"; item pages live at `<baseUrl>articles/<slug>/`. */
  baseUrl: string;
  /** The build's time (ISO 8601): first-seen date of new stories, updated date of edited ones. */
  now: string;
  /** Identities from the state store. */
  known: StoredIdentity[];
  topicRules: TopicRule[];
  /** Related links from the last build (state: the cache file); reused while no title or id changed. */
  relatedMemo?: RelatedMemo;
  /**
   * Work kept from the previous call in this process (a warm rebuild): per article object its
   * cleaned text, hash, summary and topics, and the very Item made last time while nothing it
   * depends on changed. Results are the same with or without it.
   */
  memo?: NormalizeMemo;
  /**
   * Content hashes worked out earlier (`contentHashOf`, kept beside each file's parse), by the
   * article passed: a story found here is not hashed again, so its text need not be loaded.
   */
  knownHashes?: KnownHashes;
}

export interface NormalizeResult {
  /** Newest first; ties by id. */
  items: Item[];
  /** The identity of every item, new or updated, for the caller to store. */
  identities: StoredIdentity[];
  diagnostics: Diagnostic[];
  /** For the caller to keep for the next build. */
  relatedMemo: RelatedMemo;
}

/**
 * Gives articles their lasting identity (id, slug, first-seen date from the state store),
 * dates, summary, topics and resolved related links. Pure: the caller loads `known` and
 * stores `identities`.
 */
export function normalizeArticles(articles: Article[], options: NormalizeOptions): NormalizeResult {
  const now = toUtcIso(options.now) ?? options.now;
  const host = new URL(options.baseUrl).hostname;
  if (options.memo instanceof NormalizeMemo) {
    const result = normalizeWithMemo(articles, { ...options, now, host }, options.memo);
    if (result) return result;
  }
  const diagnostics: Diagnostic[] = [];
  const hashes = new Map<Article, string>();
  const ordered = articles
    .map((article) => {
      const cleaned = cleanArticle(article);
      const hash = options.knownHashes?.(article);
      if (hash !== undefined) hashes.set(cleaned, hash);
      return cleaned;
    })
    .sort(compareBySource);
  const matches = matchIdentities(ordered, options.known);
  let takenSlugs: Set<string> | undefined;
  const context = {
    now,
    host,
    takenSlugs: () => {
      takenSlugs ??= new Set(options.known.map((k) => k.slug));
      return takenSlugs;
    },
  };

  const built = ordered.map((cleaned, i) => {
    const article = withTitle(cleaned, diagnostics);
    const identity = nextIdentity(
      article,
      matches[i],
      currentIdentity(article, hashes.get(cleaned)),
      context,
    );
    const { published, updated } = storyDates(
      validDate(article.published, 'published', article, diagnostics),
      validDate(article.updated, 'updated', article, diagnostics),
      identity,
    );
    const item = itemOf(article, {
      identity,
      url: new URL(`articles/${identity.slug}/`, options.baseUrl).href,
      canonicalUrl: safeHttpUrl(article.canonicalUrl),
      published,
      updated,
      related: [],
      topics: assignTopics(article, options.topicRules),
    });
    return { item, identity, relatedTitles: article.related };
  });

  const related = resolveAllRelated(
    built.map(({ item }) => item),
    built.map((entry) => ({ selfId: entry.item.id, titles: entry.relatedTitles.filter(Boolean) })),
    options.relatedMemo,
  );
  built.forEach((entry, i) => {
    entry.item.related = related.links[i] ?? [];
  });
  const items = sortNewestFirst(built.map((b) => b.item));
  return { items, identities: built.map((b) => b.identity), diagnostics, relatedMemo: related.memo };
}

/** compareNewestFirst's order, with each date parsed once instead of once per comparison. */
function sortNewestFirst(items: Item[]): Item[] {
  const decorated = items.map((item) => ({ item, time: Date.parse(item.published) }));
  decorated.sort((a, b) => b.time - a.time || (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0));
  return decorated.map((d) => d.item);
}

/** Newest first by publication time; equal times by id, so the order never depends on input order. */
export function compareNewestFirst(a: Item, b: Item): number {
  const byDate = Date.parse(b.published) - Date.parse(a.published);
  if (byDate !== 0) return byDate;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
