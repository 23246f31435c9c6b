import { combineText, spreadable } from '../ingest/index.ts';
import type { Article, SourceRef } from '../types.ts';

/**
 * Which copy of a story readers see, and what it borrows from the others.
 *
 * The canonical copy is the most complete: a full body beats a truncated one, then a byline
 * beats none, a date beats none, more highlights beat fewer, a newer date beats an older one
 * (a re-scrape carries the correction). Ties fall to the source path and line, never to input
 * order, so the same files always give the same answer.
 */

/** A body within this share of the group's longest counts as full (edits change length a little). */
const FULL_BODY_SHARE = 0.9;

export function sourceKeyCompare(a: SourceRef | undefined, b: SourceRef | undefined): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.startLine - b.startLine || a.endLine - b.endLine;
}

function isWhitespace(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x3000 ||
    (code >= 0x2000 && code <= 0x200a)
  );
}

/** Words, not characters: a copy padded with spaces or wrapped in curly quotes is no longer. */
function bodyLength(article: Article): number {
  let words = 0;
  for (const paragraph of article.body) {
    let inWord = false;
    for (let i = 0; i < paragraph.length; i++) {
      const isSpace = isWhitespace(paragraph.charCodeAt(i));
      if (!isSpace && !inWord) words++;
      inWord = !isSpace;
    }
  }
  return words;
}

function newestDate(article: Article): number {
  const stamp = Date.parse(article.updated ?? article.published ?? '');
  return Number.isNaN(stamp) ? Number.NEGATIVE_INFINITY : stamp;
}

/**
 * Orders the copies of one story best first, as indexes into `copies` (the same object may be
 * passed twice; indexes keep the copies apart). Copies arrive in source order, so the index is
 * the final tie-break after the source itself.
 */
export function rankCopies(copies: Article[]): number[] {
  const lengths = copies.map(bodyLength);
  const longest = Math.max(...lengths);
  const isFull = (i: number) => (lengths[i] as number) >= FULL_BODY_SHARE * longest;
  const dates = copies.map(newestDate);
  const preferTrue = (a: boolean, b: boolean) => Number(b) - Number(a);
  return copies
    .map((_, index) => index)
    .sort((i, j) => {
      const a = copies[i] as Article;
      const b = copies[j] as Article;
      return (
        preferTrue(isFull(i), isFull(j)) ||
        preferTrue(a.authors.length > 0, b.authors.length > 0) ||
        preferTrue(a.published !== null, b.published !== null) ||
        b.highlights.length - a.highlights.length ||
        compareNewestFirst(dates[i] as number, dates[j] as number) ||
        (lengths[j] as number) - (lengths[i] as number) ||
        preferTrue(a.analysis.length > 0, b.analysis.length > 0) ||
        b.related.length - a.related.length ||
        sourceKeyCompare(a.sources[0], b.sources[0]) ||
        i - j
      );
    });
}

function compareNewestFirst(a: number, b: number): number {
  return a === b ? 0 : a > b ? -1 : 1;
}

/** The first value in rank order that is present. */
function firstPresent<T>(
  ranked: Article[],
  pick: (article: Article) => T | null,
  isPresent: (value: T) => boolean,
): T | null {
  for (const article of ranked) {
    const value = pick(article);
    if (value !== null && isPresent(value)) return value;
  }
  return null;
}

const nonEmpty = (list: string[]) => list.length > 0;
const isSet = () => true;

function refKey(source: SourceRef): string {
  return `${source.file}\u0000${source.startLine}\u0000${source.endLine}`;
}

function distinctSources(sources: SourceRef[]): SourceRef[] {
  const seen = new Set<string>();
  return sources.filter((source) => {
    const key = refKey(source);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Dates can come from different copies; an "updated" earlier than the chosen "published" is a
 * stale copy's, and a feed must never say a story changed before it appeared.
 */
function updatedAfter(published: string | null, updated: string | null): string | null {
  if (!published || !updated) return updated;
  return Date.parse(updated) >= Date.parse(published) ? updated : null;
}

/**
 * One article from ranked copies: the first copy, with each missing piece of metadata taken
 * from the best copy that has it, and every copy's sources recorded.
 */
export function mergeCopies(ranked: Article[]): Article {
  const [canonical, ...folded] = ranked;
  if (!canonical) throw new Error('mergeCopies needs at least one copy');
  const sources = distinctSources(ranked.flatMap((article) => article.sources));
  const foldedRefs = new Set(
    folded.flatMap((article) => [...article.sources, ...article.mergedFrom]).map(refKey),
  );
  const published = firstPresent(ranked, (a) => a.published, isSet);
  const updated = firstPresent(ranked, (a) => a.updated, isSet);
  const merged = {
    ...spreadable(canonical),
    authors: firstPresent(ranked, (a) => a.authors, nonEmpty) ?? [],
    published,
    updated: updatedAfter(published, updated),
    highlights: firstPresent(ranked, (a) => a.highlights, nonEmpty) ?? [],
    related: firstPresent(ranked, (a) => a.related, nonEmpty) ?? [],
    tags: firstPresent(ranked, (a) => a.tags, nonEmpty) ?? [],
    canonicalUrl: firstPresent(ranked, (a) => a.canonicalUrl, isSet),
    sources,
    mergedFrom: distinctSources([
      ...canonical.mergedFrom,
      ...sources.filter((source) => foldedRefs.has(refKey(source))),
      ...folded.flatMap((article) => article.mergedFrom),
    ]),
  };
  // The body is the canonical copy's; the analysis the best copy's that has one. Paged text
  // (a large archive) stays paged: the merged story loads it from those two copies.
  return combineText(
    merged,
    canonical,
    ranked.find((a) => a.analysis.length > 0),
  );
}
