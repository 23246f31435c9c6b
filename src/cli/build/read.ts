import { type IngestOptions, parseSourceFile } from '../../ingest/index.ts';
import type { Article, Diagnostic } from '../../types.ts';
import { listArticleFiles, readSourceFile } from '../inputs.ts';

export interface ReadResult {
  files: number;
  articles: Article[];
  diagnostics: Diagnostic[];
}

/** Reads and parses every article file under `paths`; one bad file never stops the rest. */
export function readArticles(paths: string[], options: IngestOptions): ReadResult {
  const { files, skipped } = listArticleFiles(paths);
  const articles: Article[] = [];
  const diagnostics: Diagnostic[] = skipped.map((file) => ({
    severity: 'warning',
    code: 'ingest/unknown-extension',
    file,
    message: 'not an article file (expected .txt, .md or .markdown); skipped',
  }));
  for (const path of files) {
    let result: ReturnType<typeof parseSourceFile>;
    try {
      result = parseSourceFile(readSourceFile(path), options);
    } catch (error) {
      diagnostics.push({ severity: 'error', code: 'ingest/unreadable', file: path, message: (error as Error).message });
      continue;
    }
    articles.push(...result.articles);
    diagnostics.push(...result.diagnostics);
  }
  return { files: files.length, articles, diagnostics };
}
