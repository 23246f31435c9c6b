import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SourceFile } from '../ingest/index.ts';

/** Extensions we read as articles; anything else in the folder is reported and skipped. */
export const ARTICLE_EXTENSIONS = ['.txt', '.md', '.markdown'];

/**
 * Lists article files under the given paths (files or folders, recursively), sorted so the
 * build's order never depends on the file system's.
 */
export function listArticleFiles(paths: string[]): { files: string[]; skipped: string[] } {
  const files: string[] = [];
  const skipped: string[] = [];
  const visit = (path: string): void => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) if (!name.startsWith('.')) visit(join(path, name));
    } else if (ARTICLE_EXTENSIONS.some((ext) => path.toLowerCase().endsWith(ext))) {
      files.push(path);
    } else {
      skipped.push(path);
    }
  };
  for (const path of paths) visit(path);
  return { files: files.sort(), skipped: skipped.sort() };
}

/** Reads a file for ingest; `display` is the path diagnostics show (relative to cwd, POSIX). */
export function readSourceFile(path: string, cwd = process.cwd()): SourceFile {
  const display = relative(cwd, path).split(sep).join('/') || path;
  return { path: display, bytes: readFileSync(path) };
}
