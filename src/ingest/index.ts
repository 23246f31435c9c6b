import type { Article, Diagnostic } from '../types.ts';

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

/**
 * Parses one file (export text or Markdown with front matter) into articles, merging copies
 * of the same article within the file. Never throws: bad input becomes diagnostics.
 * CONTRACT STUB: implemented by the ingest work (issue 2).
 */
export function parseSourceFile(_file: SourceFile, _options: IngestOptions): IngestResult {
  return { articles: [], diagnostics: [] };
}
