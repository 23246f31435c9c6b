import { DateTime } from 'luxon';
import type { TopicRule } from '../config/schema.ts';
import type { Article, Diagnostic, Item } from '../types.ts';
import {
  allocateSlug,
  hashArticleContent,
  matchIdentities,
  normalizeUrl,
  type StoredIdentity,
  tagUri,
  textSample,
} from './identity.ts';
import { type RelatedMemo, resolveAllRelated } from './related.ts';
import { summarize } from './summary.ts';
import { cleanLine, stripForbiddenChars, titleKey } from './text.ts';
import { assignTopics } from './topics.ts';

export type { StoredIdentity } from './identity.ts';
export {
  createRelatedIndex,
  type RelatedIndex,
  type RelatedMemo,
  type RelatedTarget,
  resolveAllRelated,
} from './related.ts';
export { markdownToText, summarize } from './summary.ts';
export { cleanLine, slugify, stripForbiddenChars, titleKey } from './text.ts';
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
  const diagnostics: Diagnostic[] = [];
  const now = toUtcIso(options.now) ?? options.now;
  const host = new URL(options.baseUrl).hostname;
  const ordered = [...articles].map(cleanArticle).sort(compareBySource);
  const matches = matchIdentities(ordered, options.known);
  const takenSlugs = new Set(options.known.map((k) => k.slug));

  const built = ordered.map((article, i) => {
    const source = article.sources[0];
    if (!article.title) {
      diagnostics.push({
        severity: 'warning',
        code: 'normalize/no-title',
        message: 'article has no title; shown as "Untitled"',
        file: source?.file,
        line: source?.startLine,
      });
      article.title = 'Untitled';
    }
    const identity = nextIdentity(article, matches[i], { now, host, takenSlugs });
    const published = validDate(article.published, 'published', article, diagnostics) ?? identity.firstSeen;
    const ownUpdated = validDate(article.updated, 'updated', article, diagnostics);
    const updated = latest(published, ownUpdated ?? identity.editedAt ?? published);
    const item: Item = {
      id: identity.id,
      slug: identity.slug,
      url: new URL(`articles/${identity.slug}/`, options.baseUrl).href,
      canonicalUrl: safeHttpUrl(article.canonicalUrl),
      title: article.title,
      authors: article.authors,
      published,
      updated,
      summary: summarize(article.highlights, article.body, article.format),
      highlights: article.highlights,
      body: article.body,
      analysis: article.analysis,
      format: article.format,
      related: [],
      topics: assignTopics(article, options.topicRules),
      sources: article.sources,
      mergedFrom: article.mergedFrom,
      contentHash: identity.contentHash,
    };
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

function nextIdentity(
  article: Article,
  stored: StoredIdentity | undefined,
  context: { now: string; host: string; takenSlugs: Set<string> },
): StoredIdentity {
  const contentHash = hashArticleContent(article);
  const current = {
    titleKey: titleKey(article.title),
    canonicalUrl: normalizeUrl(article.canonicalUrl),
    sourceFile: article.sources[0]?.file ?? null,
    contentHash,
    // The sample is a function of the text the hash covers: an unedited story keeps the stored
    // one, so a rebuild computes samples only for new and edited stories.
    textSample: stored?.contentHash === contentHash ? stored.textSample : textSample(article),
  };
  if (stored) {
    // Same story: id, slug and first-seen date stay; an edit moves only its updated date.
    const editedAt = stored.contentHash === contentHash ? stored.editedAt : context.now;
    return { ...stored, ...current, editedAt };
  }
  const slug = allocateSlug(article.title, context.takenSlugs);
  return {
    id: tagUri(context.host, context.now, slug),
    slug,
    firstSeen: context.now,
    editedAt: null,
    ...current,
  };
}

/** Text cleaned once for every output: XML-forbidden characters gone, lines collapsed. */
function cleanArticle(article: Article): Article {
  const block = (text: string) => stripForbiddenChars(text).trim();
  return {
    ...article,
    title: cleanLine(article.title),
    authors: article.authors.map(cleanLine).filter(Boolean),
    highlights: article.highlights.map(cleanLine).filter(Boolean),
    body: article.body.map(block).filter(Boolean),
    analysis: article.analysis.map(block).filter(Boolean),
    related: article.related.map(cleanLine).filter(Boolean),
    tags: article.tags.map(cleanLine).filter(Boolean),
  };
}

function compareBySource(a: Article, b: Article): number {
  const sa = a.sources[0];
  const sb = b.sources[0];
  const fa = sa?.file ?? '';
  const fb = sb?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const byLine = (sa?.startLine ?? 0) - (sb?.startLine ?? 0);
  if (byLine !== 0) return byLine;
  return a.title < b.title ? -1 : a.title > b.title ? 1 : 0;
}

function toUtcIso(value: string): string | null {
  const date = DateTime.fromISO(value, { setZone: true });
  return date.isValid ? date.toUTC().toISO({ suppressMilliseconds: true }) : null;
}

function validDate(
  value: string | null,
  field: string,
  article: Article,
  diagnostics: Diagnostic[],
): string | null {
  if (value === null) return null;
  const date = DateTime.fromISO(value, { setZone: true });
  if (date.isValid) return date.toISO({ suppressMilliseconds: true });
  diagnostics.push({
    severity: 'warning',
    code: 'normalize/invalid-date',
    message: `${field} date "${value}" is not ISO 8601; ignored`,
    file: article.sources[0]?.file,
    line: article.sources[0]?.startLine,
  });
  return null;
}

function latest(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** Only http(s) URLs become links; anything else (javascript:, data:) is dropped. */
function safeHttpUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
