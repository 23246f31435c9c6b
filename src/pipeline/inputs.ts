import { type Dirent, readdirSync, readFileSync, realpathSync, type Stats, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SourceFile } from '../ingest/index.ts';
import type { Diagnostic } from '../types.ts';
import { mediaTypeOf } from './media-types.ts';

/** Extensions we read as articles; anything else in the folder is reported and skipped. */
export const ARTICLE_EXTENSIONS = ['.txt', '.md', '.markdown'];

export interface ArticleFileList {
  files: string[];
  /** Files with another extension: reported, not read. */
  skipped: string[];
  /** Paths given that do not exist (or cannot be listed), with the reason. */
  missing: { path: string; reason: string }[];
}

/**
 * Lists article files under the given paths (files or folders, recursively), sorted so the
 * build's order never depends on the file system's. A path named explicitly is read whatever
 * its extension; inside folders only article extensions are, and hidden entries are skipped.
 * Media files (images, audio, video) are neither read nor reported: articles name them.
 */
export function listArticleFiles(paths: string[]): ArticleFileList {
  const files: string[] = [];
  const skipped: string[] = [];
  const missing: { path: string; reason: string }[] = [];
  // Real paths of folders listed so far: a symlink back up the tree (`up -> ..`) would otherwise
  // be followed until the path is too long, doubling the walk at every level with two of them.
  const listed = new Set<string>();
  // `kind` comes from the folder listing when it can (a plain file or folder needs no stat of
  // its own); a symlink, or a path given on the command line, is stat'ed.
  const visit = (path: string, explicit: boolean, kind?: 'file' | 'folder'): void => {
    let isDirectory: boolean;
    try {
      const stats = kind ? undefined : statSync(path);
      isDirectory = kind ? kind === 'folder' : (stats as Stats).isDirectory();
      if (stats && !isDirectory && !stats.isFile()) {
        // A named pipe would block the read for ever, and a device (`x.txt -> /dev/zero`)
        // reads without end past the size check (its size is 0): only regular files are read.
        if (explicit || ARTICLE_EXTENSIONS.some((ext) => path.toLowerCase().endsWith(ext)))
          missing.push({ path, reason: 'not a regular file (a named pipe, socket or device)' });
        return;
      }
      if (isDirectory) {
        const real = realpathSync(path);
        if (listed.has(real)) return;
        listed.add(real);
      }
    } catch (error) {
      missing.push({
        path,
        reason:
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? 'no such file or folder'
            : (error as Error).message,
      });
      return;
    }
    if (isDirectory) {
      let entries: Dirent[];
      try {
        entries = readdirSync(path, { withFileTypes: true });
      } catch (error) {
        missing.push({ path, reason: (error as Error).message });
        return;
      }
      // Sorted: which of two paths to one folder is listed must not depend on the file system.
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const known = entry.isFile() ? 'file' : entry.isDirectory() ? 'folder' : undefined;
        visit(join(path, entry.name), false, known);
      }
    } else if (explicit || ARTICLE_EXTENSIONS.some((ext) => path.toLowerCase().endsWith(ext))) {
      files.push(path);
    } else if (mediaTypeOf(path) === null) {
      // Pictures and sound are articles' assets (pipeline/media.ts copies the ones named).
      skipped.push(path);
    }
  };
  for (const path of paths) visit(path, true);
  return { files: [...new Set(files)].sort(), skipped: skipped.sort(), missing };
}

/** The path diagnostics show: relative to cwd, POSIX separators. */
export function displayPath(path: string, cwd = process.cwd()): string {
  return relative(cwd, path).split(sep).join('/') || path;
}

/** Reads a file for ingest; `display` is the path diagnostics show (relative to cwd, POSIX). */
export function readSourceFile(path: string, cwd = process.cwd()): SourceFile {
  return { path: displayPath(path, cwd), bytes: readFileSync(path) };
}

/** The articles folder is missing or not a folder: nothing is built and out/ stays as it is. */
export function missingInputFolder(folder: string): Diagnostic | null {
  const stats = statSync(folder, { throwIfNoEntry: false });
  if (stats?.isDirectory()) return null;
  return {
    severity: 'error',
    code: 'build/no-input',
    file: displayPath(folder),
    message: stats
      ? 'the articles folder (paths.articles) is a file, not a folder: nothing was built and out/ is as it was'
      : 'the articles folder (paths.articles) does not exist: nothing was built and out/ is as it was (renamed or not mounted? check paths.articles)',
  };
}

/** The articles folder holds no article file: publishing that would empty the site. */
export function emptyInputFolder(folder: string): Diagnostic {
  return {
    severity: 'error',
    code: 'build/no-input',
    file: displayPath(folder),
    message: `no article files (${ARTICLE_EXTENSIONS.join(', ')}) in the articles folder: nothing was built and out/ is as it was`,
  };
}
