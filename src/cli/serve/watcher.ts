import { type FSWatcher, statSync, watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface Watcher {
  close(): void;
}

/**
 * Calls `onChange` once after a burst of changes under any of `paths` (folders are watched
 * recursively; Node 20 supports that on Linux, macOS and Windows). Editors save through temp
 * files and renames, so one save is several events: the debounce turns them into one rebuild.
 * Paths that do not exist yet are skipped rather than failing the server.
 */
export function watchPaths(
  paths: string[],
  onChange: (changed: string[]) => void,
  options: { debounceMs?: number; ignore?: (path: string) => boolean } = {},
): Watcher {
  const debounceMs = options.debounceMs ?? 150;
  const watchers: FSWatcher[] = [];
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  const fire = (): void => {
    timer = null;
    const changed = [...pending].sort();
    pending = new Set();
    onChange(changed);
  };
  const record = (changed: string): void => {
    // Hidden files are editor swap files and our own temp files (".x.tmp"), not content.
    if (basename(changed).startsWith('.') || options.ignore?.(changed)) return;
    pending.add(changed);
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, debounceMs);
  };
  for (const path of paths) {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) continue;
    // A single file (the config) is watched through its folder: editors save by writing a new
    // file and renaming it over the old one, which ends a watch on the old file.
    const watcher = stats.isDirectory()
      ? watch(path, { recursive: true }, (_event, name) => record(name ? join(path, name) : path))
      : watch(dirname(path), (_event, name) => {
          if (name === basename(path)) record(path);
        });
    watcher.on('error', () => watcher.close());
    watchers.push(watcher);
  }
  return {
    close: () => {
      if (timer) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
