import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OutputFile } from '../types.ts';

/** Lists what the last build wrote, so files that are no longer produced can be removed. */
const MANIFEST = '.broadsheet-manifest.json';

export interface WriteSummary {
  written: number;
  unchanged: number;
  removed: number;
}

/**
 * Writes a build's files into `outDir`. Each file goes to a temp file beside it and is renamed
 * into place, so a reader (a feed reader polling rss.xml, `serve`) never sees half a file.
 * Files whose bytes did not change are left alone (their mtime stays: ETags and incremental
 * rebuilds depend on that). Files the previous build wrote and this one did not are removed
 * last, after everything new is in place.
 */
export function writeOutputs(
  outDir: string,
  files: OutputFile[],
  keep: (path: string) => boolean = () => false,
): WriteSummary {
  const summary: WriteSummary = { written: 0, unchanged: 0, removed: 0 };
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`two outputs claim the same path: ${file.path}`);
    seen.add(file.path);
    const target = join(outDir, file.path);
    const bytes =
      typeof file.contents === 'string' ? Buffer.from(file.contents, 'utf8') : Buffer.from(file.contents);
    if (sameBytes(target, bytes)) {
      summary.unchanged++;
      continue;
    }
    writeFileAtomic(target, bytes);
    summary.written++;
  }
  for (const stale of readManifest(outDir)) {
    if (seen.has(stale) || keep(stale)) continue;
    rmSync(join(outDir, stale), { force: true });
    summary.removed++;
  }
  writeFileAtomic(join(outDir, MANIFEST), Buffer.from(`${JSON.stringify([...seen].sort(), null, 1)}\n`));
  return summary;
}

export function writeFileAtomic(target: string, bytes: Uint8Array | string): void {
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function sameBytes(path: string, bytes: Buffer): boolean {
  try {
    return readFileSync(path).equals(bytes);
  } catch {
    return false;
  }
}

function readManifest(outDir: string): string[] {
  try {
    const list = JSON.parse(readFileSync(join(outDir, MANIFEST), 'utf8'));
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}
