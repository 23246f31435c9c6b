import { type FSWatcher, statSync, watch } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Context } from '../context.ts';

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

/**
 * What a build depends on, to watch (articles, templates, the config file), and what it writes
 * itself, to ignore even inside a watched folder (the output and state folders, the cache file
 * and its -wal/-shm, wherever the config puts them).
 */
export function buildInputs(ctx: Context): { watch: string[]; ignore: (path: string) => boolean } {
  const { config, file } = ctx.loaded;
  const inside = (folder: string) => (path: string) => path === folder || path.startsWith(folder + sep);
  const cacheFile = ctx.path(config.paths.cache);
  const isCache = (path: string) => path === cacheFile || path.startsWith(`${cacheFile}-`);
  const ignored = [
    inside(ctx.path(config.paths.out)),
    inside(dirname(ctx.path(config.paths.state))),
    isCache,
  ];
  return {
    watch: [ctx.path(config.paths.articles), ctx.path(config.paths.templates), ...(file ? [file] : [])],
    ignore: (path) => ignored.some((isInside) => isInside(path)),
  };
}

export interface RebuildQueue {
  /** Asks for a rebuild after these changes; during a build they wait for the next one. */
  schedule(changed: string[]): void;
  /** Resolves once no build runs and none is queued. */
  idle(): Promise<void>;
  /** Changes waiting for the next build. */
  queued(): string[];
}

/**
 * Runs `build` for each burst of changes, never two at once: changes that arrive during a
 * build are queued and make exactly one more build (with all of them), however many came.
 * `build` reports its own failures; a throw here would stop nothing but that one build.
 */
export function rebuildQueue(build: (changed: string[]) => Promise<void>): RebuildQueue {
  let running: Promise<void> = Promise.resolve();
  let queued: string[] | null = null;
  let busy = false;
  return {
    schedule(changed) {
      if (busy) {
        queued = [...new Set([...(queued ?? []), ...changed])].sort();
        return;
      }
      busy = true;
      running = (async () => {
        let next: string[] | null = changed;
        while (next) {
          queued = null;
          await build(next);
          next = queued;
        }
        busy = false;
      })();
    },
    async idle() {
      while (busy) await running;
    },
    queued: () => [...(queued ?? [])],
  };
}

/** A git checkout can touch hundreds of files: name a few. */
export function describeChanges(changed: string[]): string {
  const shown = changed.slice(0, 3).map((path) => relative(process.cwd(), path) || path);
  return changed.length > 3 ? `${shown.join(', ')} and ${changed.length - 3} more` : shown.join(', ');
}
