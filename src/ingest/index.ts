import type { Article, Diagnostic } from '../types.ts';
import { decodeSource } from './decode.ts';
import { parseExport } from './export-format.ts';
import { parseMarkdown } from './markdown.ts';
import { mergeCopiesInFile } from './merge.ts';

export { parseDate } from './dates.ts';
export { decodeLean, decodeParse, decodeText, type EncodedParse, encodeParse } from './encoded.ts';
export { copyKey } from './merge.ts';
// Story text may be paged (loaded from the parse cache on each read): copy a story with these,
// never with a spread (tests/ingest/story-copies.test.ts finds spreads with the type checker).
export {
  combineText,
  forgetRecentText,
  isPaged,
  mapText,
  NO_TEXT,
  pageText,
  type Spreadable,
  type StoryText,
  shellOf,
  spreadable,
  type TextLoader,
  textChars,
  withFields,
  withoutText,
  withTextOf,
} from './paged-text.ts';
export { renderExport } from './serialize.ts';

/** The bytes of one input file and the path diagnostics should name. */
export interface SourceFile {
  path: string;
  bytes: Uint8Array;
}

export interface IngestOptions {
  /** Files larger than this are refused as not-an-article. */
  maxFileBytes: number;
  /** Zone for dates written without one (e.g. "July 25, 2025"). */
  timeZone: string;
}

export interface IngestResult {
  articles: Article[];
  diagnostics: Diagnostic[];
}

const MARKDOWN_EXTENSIONS = /\.(md|markdown)$/i;

/**
 * Parses one file (export text or Markdown with front matter) into articles, merging copies
 * of the same article within the file. Never throws: bad input becomes diagnostics.
 */
export function parseSourceFile(file: SourceFile, options: IngestOptions): IngestResult {
  try {
    return parseOrReport(file, options);
  } catch (error) {
    // A parser bug must cost one file, not the run: report it like any other bad input.
    return {
      articles: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'ingest/internal',
          file: file.path,
          message: `could not parse this file (internal error: ${(error as Error)?.message ?? String(error)})`,
        },
      ],
    };
  }
}

/**
 * The refusal of a file over `ingest.maxFileBytes`. Exported so the CLI can refuse by file
 * size before reading the bytes, with the same words as a refusal here.
 */
export function tooLargeDiagnostic(path: string, size: number, maxFileBytes: number): Diagnostic {
  return {
    severity: 'error',
    code: 'ingest/too-large',
    file: path,
    message: `file is ${size} bytes, over the ${maxFileBytes}-byte limit (ingest.maxFileBytes); not read as an article`,
  };
}

function parseOrReport(file: SourceFile, options: IngestOptions): IngestResult {
  if (file.bytes.length > options.maxFileBytes) {
    return {
      articles: [],
      diagnostics: [tooLargeDiagnostic(file.path, file.bytes.length, options.maxFileBytes)],
    };
  }
  const decoded = decodeSource(file.path, file.bytes);
  if (decoded.refused) return { articles: [], diagnostics: decoded.diagnostics };
  const isMarkdown = looksLikeMarkdown(file.path, decoded.text);
  const parsed = isMarkdown
    ? parseMarkdown(decoded.text, file.path, options.timeZone)
    : parseExport(decoded.text, file.path, options.timeZone);
  const articles = mergeCopiesInFile(parsed.articles);
  return {
    articles,
    diagnostics: [...decoded.diagnostics, ...parsed.diagnostics, ...longTitleWarnings(file.path, articles)],
  };
}

/** Longer than any headline (they run to ~100 characters): a paragraph read as the title. */
export const LONG_TITLE_CHARS = 250;

/**
 * An export whose blank line after the title was lost reads its first paragraph as the title:
 * the story is published, with a title of hundreds or thousands of characters in every feed,
 * page and subject. Said, so the publisher fixes the file; the story is kept as read.
 */
function longTitleWarnings(file: string, articles: Article[]): Diagnostic[] {
  return articles
    .filter((article) => article.title.length > LONG_TITLE_CHARS)
    .map((article) => {
      const line = article.sources[0]?.startLine;
      return {
        severity: 'warning' as const,
        code: 'ingest/long-title' as const,
        file,
        ...(line ? { line } : {}),
        message: `the title is ${article.title.length} characters long, more than any headline: is the blank line after the real title missing? (published as read)`,
      };
    });
}

/**
 * By extension, except that the content wins when it is unmistakable: exports saved as `.md`
 * (no front matter, the export's title lines) and front matter in a `.txt`.
 */
function looksLikeMarkdown(path: string, text: string): boolean {
  if (text.startsWith('---\n')) return true;
  if (!MARKDOWN_EXTENSIONS.test(path)) return false;
  return !EXPORT_TITLE.test(text);
}

const EXPORT_TITLE = /^[^\n]*\S[^\n]*\n[ \t]*\n[ \t]*In This Article[ \t]*$/im;
