import { DateTime } from 'luxon';
import { mapText, type StoryText, spreadable, withFields } from '../ingest/index.ts';
import type { Article, Diagnostic } from '../types.ts';
import {
  ArticleSample,
  allocateSlug,
  hashArticleContent,
  normalizeUrl,
  type StoredIdentity,
  sameSampleAs,
  tagUri,
  withLazySample,
} from './identity.ts';
import { cleanLabel, cleanLine, stripForbiddenChars, titleKey } from './text.ts';

/** The steps of `normalizeArticles` shared by the plain and the memo path. */

export interface IdentityContext {
  now: string;
  host: string;
  /** Slugs taken so far (created on first use: only new stories need it). */
  takenSlugs: () => Set<string>;
}

/** The identity fields an article determines by itself (before the state store is consulted). */
export interface CurrentIdentity {
  titleKey: string;
  canonicalUrl: string | null;
  sourceFile: string | null;
  contentHash: string;
}

/** `contentHash`: the article's, worked out earlier (`contentHashOf`); hashed now when not given. */
export function currentIdentity(article: Article, contentHash?: string): CurrentIdentity {
  return {
    titleKey: titleKey(article.title),
    canonicalUrl: normalizeUrl(article.canonicalUrl),
    sourceFile: article.sources[0]?.file ?? null,
    contentHash: contentHash ?? hashArticleContent(article),
  };
}

/** Content hashes worked out earlier (`contentHashOf`), by the article they were worked out for. */
export type KnownHashes = (article: Article) => string | undefined;

/**
 * The content hash normalize gives the item made of `article` (cleaned and titled as it is
 * there). A function of the article alone: it can be worked out while the text is in memory
 * and kept beside the parse, then passed back as `NormalizeOptions.knownHashes`.
 */
export function contentHashOf(article: Article): string {
  return hashArticleContent(withTitle(cleanArticle(article), []));
}

export function nextIdentity(
  article: Article,
  stored: StoredIdentity | undefined,
  own: CurrentIdentity,
  context: IdentityContext,
): StoredIdentity {
  // The sample is a function of the text the hash covers: an unedited story keeps the stored
  // one. Either is read when needed (saving), not held from now until then.
  const unedited = stored?.contentHash === own.contentHash;
  const sample = stored && unedited ? sameSampleAs(stored) : new ArticleSample(article);
  if (stored) {
    // Same story: id, slug and first-seen date stay; an edit moves only its updated date.
    // Field by field, not a spread: a spread would read the stored sample now.
    const editedAt = unedited ? stored.editedAt : context.now;
    return withLazySample(
      { id: stored.id, slug: stored.slug, firstSeen: stored.firstSeen, ...own, editedAt },
      sample,
    );
  }
  const slug = allocateSlug(article.title, context.takenSlugs());
  return withLazySample(
    { id: tagUri(context.host, context.now, slug), slug, firstSeen: context.now, editedAt: null, ...own },
    sample,
  );
}

/** Text cleaned once for every output: XML-forbidden characters gone, lines collapsed. */
export function cleanArticle(article: Article): Article {
  const fields = {
    ...spreadable(article),
    // Titles and names reach email Subjects, From-like bylines and link text: no bidi overrides.
    title: cleanLabel(article.title),
    authors: cleanList(article.authors, cleanLabel),
    highlights: cleanList(article.highlights, cleanLine),
    related: cleanList(article.related, cleanLabel),
    tags: cleanList(article.tags, cleanLabel),
  };
  // Paged text (a large archive) is cleaned each time it is loaded, and never kept.
  return mapText(fields, article, cleanText);
}

function cleanText(text: StoryText): StoryText {
  return { body: cleanList(text.body, cleanBlock), analysis: cleanList(text.analysis, cleanBlock) };
}

function cleanBlock(text: string): string {
  return stripForbiddenChars(text).trim();
}

/**
 * `list` cleaned, empty entries dropped. Almost every list is clean already and is then returned
 * as it is: a copy of each of an archive's lists would be held by the items (~40 MB at 100k).
 */
function cleanList(list: string[], clean: (text: string) => string): string[] {
  for (let i = 0; i < list.length; i++) {
    const text = list[i] as string;
    const cleaned = clean(text);
    if (cleaned !== text || cleaned === '') return list.map(clean).filter(Boolean);
  }
  return list;
}

export function compareBySource(a: Article, b: Article): number {
  const sa = a.sources[0];
  const sb = b.sources[0];
  const fa = sa?.file ?? '';
  const fb = sb?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const byLine = (sa?.startLine ?? 0) - (sb?.startLine ?? 0);
  if (byLine !== 0) return byLine;
  return a.title < b.title ? -1 : a.title > b.title ? 1 : 0;
}

export function toUtcIso(value: string): string | null {
  const date = DateTime.fromISO(value, { setZone: true });
  return date.isValid ? date.toUTC().toISO({ suppressMilliseconds: true }) : null;
}

export function validDate(
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

export function noTitleDiagnostic(article: Article): Diagnostic {
  const source = article.sources[0];
  return {
    severity: 'warning',
    code: 'normalize/no-title',
    message: 'article has no title; shown as "Untitled"',
    file: source?.file,
    line: source?.startLine,
  };
}

/** The article with a title: "Untitled", and a warning, when it has none. */
export function withTitle(article: Article, diagnostics: Diagnostic[]): Article {
  if (article.title) return article;
  diagnostics.push(noTitleDiagnostic(article));
  return withFields(article, { title: 'Untitled' });
}

/**
 * A story's dates: its own published date, else when it was first seen; updated is the later of
 * that and its own updated date, else of when it was last edited.
 */
export function storyDates(
  ownPublished: string | null,
  ownUpdated: string | null,
  identity: { firstSeen: string; editedAt: string | null },
): { published: string; updated: string } {
  const published = ownPublished ?? identity.firstSeen;
  return { published, updated: latest(published, ownUpdated ?? identity.editedAt ?? published) };
}

export function latest(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** Only http(s) URLs become links; anything else (javascript:, data:) is dropped. */
export function safeHttpUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
