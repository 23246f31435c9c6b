import { type IngestOptions, parseSourceFile, tooLargeDiagnostic } from '../../ingest/index.ts';
import type { ParseCache } from '../../state/cache.ts';
import type { Article, Diagnostic } from '../../types.ts';
import { displayPath, fileSize, listArticleFiles, readSourceFile } from '../inputs.ts';
import { startProgress } from '../progress.ts';

export interface ReadResult {
  files: number;
  articles: Article[];
  diagnostics: Diagnostic[];
}

export interface ReadSettings {
  /** No progress bar (it also stays silent when stderr is not a terminal). */
  quiet?: boolean;
  /**
   * Earlier parses by content (state/cache.ts): an unchanged file is not parsed again. New
   * parses are stored (flushed) before readArticles returns.
   */
  cache?: ParseCache;
  /**
   * The folder source paths are written relative to (default: the working directory). `build`
   * passes the config's folder, so sources, and the story identities matched on them, don't
   * depend on where the command was started.
   */
  root?: string;
  /**
   * After reading, drop cached parses of files that were not read (deleted or renamed). Only
   * for a read of the whole article set, as `build` does.
   */
  pruneCache?: boolean;
}

/** Reads and parses every article file under `paths`; one bad file never stops the rest. */
export function readArticles(
  paths: string[],
  options: IngestOptions,
  settings: ReadSettings = {},
): ReadResult {
  const { files, skipped, missing } = listArticleFiles(paths);
  const articles: Article[] = [];
  const diagnostics: Diagnostic[] = [
    ...missing.map(
      ({ path, reason }): Diagnostic => ({
        severity: 'error',
        code: 'ingest/missing-path',
        file: displayPath(path, settings.root),
        message: `cannot read: ${reason}`,
      }),
    ),
    ...skipped.map(
      (file): Diagnostic => ({
        severity: 'warning',
        code: 'ingest/unknown-extension',
        file: displayPath(file, settings.root),
        message: 'not an article file (expected .txt, .md or .markdown); skipped',
      }),
    ),
  ];
  const progress = startProgress('reading', files.length, settings.quiet ?? false);
  try {
    for (const path of files) {
      progress.tick();
      const result = readOne(path, options, settings.cache, settings.root);
      // A loop, not push(...list): one dump file can hold more articles than a call takes arguments.
      for (const article of result.articles) articles.push(article);
      for (const diagnostic of result.diagnostics) diagnostics.push(diagnostic);
    }
  } finally {
    progress.stop();
  }
  settings.cache?.flush();
  if (settings.pruneCache) settings.cache?.prune(files.map((path) => displayPath(path, settings.root)));
  return { files: files.length, articles, diagnostics };
}

function readOne(
  path: string,
  options: IngestOptions,
  cache: ParseCache | undefined,
  root: string | undefined,
): { articles: Article[]; diagnostics: Diagnostic[] } {
  const file = displayPath(path, root);
  try {
    const size = fileSize(path);
    if (size > options.maxFileBytes) {
      return { articles: [], diagnostics: [tooLargeDiagnostic(file, size, options.maxFileBytes)] };
    }
    const source = readSourceFile(path, root);
    const cached = cache?.lookup(source);
    if (cached) return cached;
    const parsed = parseSourceFile(source, options);
    cache?.store(source, parsed);
    return parsed;
  } catch (error) {
    return {
      articles: [],
      diagnostics: [
        { severity: 'error', code: 'ingest/unreadable', file, message: (error as Error).message },
      ],
    };
  }
}
