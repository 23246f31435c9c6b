import type { Article, SourceRef } from '../../src/types.ts';

/** A complete `Article` with the given fields; everything else empty, as an export without it. */
export function makeArticle(
  fields: Partial<Article> & { title: string; file?: string; line?: number },
): Article {
  const { file = 'articles/story.txt', line = 1, ...rest } = fields;
  const source: SourceRef = { file, startLine: line, endLine: line + 10 };
  return {
    authors: [],
    published: null,
    updated: null,
    highlights: [],
    body: [],
    analysis: [],
    related: [],
    tags: [],
    canonicalUrl: null,
    format: 'text',
    sources: [source],
    mergedFrom: [],
    ...rest,
  };
}

/** The same article read from another place. */
export function copyAt(article: Article, file: string, line = 1, changes: Partial<Article> = {}): Article {
  return {
    ...structuredClone(article),
    sources: [{ file, startLine: line, endLine: line + 10 }],
    mergedFrom: [],
    ...changes,
  };
}

export function sourceLabel(source: SourceRef | undefined): string {
  return source ? `${source.file}:${source.startLine}` : '(none)';
}
