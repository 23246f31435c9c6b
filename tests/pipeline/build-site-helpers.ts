import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { DateTime } from 'luxon';
import type { Context } from '../../src/cli/context.ts';
import { type Config, configSchema } from '../../src/config/schema.ts';
import { openCacheFile } from '../../src/state/cache.ts';
import { openState } from '../../src/state/db.ts';

/** A real Context over a temp project folder: real SQLite state file, fixed build time. */
export function siteContext(root: string, now: string, config: Config = siteConfig()): Context {
  return {
    loaded: { config, root, file: null },
    env: { smtpUrl: null, unsubscribeSecret: null, dkim: null, sourceDateEpoch: null },
    now: DateTime.fromISO(now, { setZone: true }).setZone(config.site.timeZone),
    quiet: true,
    path: (configured) => resolve(root, configured),
    openState: () => openState(join(root, config.paths.state)),
    openCache: () => openCacheFile(join(root, config.paths.cache)),
    log: () => {},
  };
}

export function siteConfig(overrides: Record<string, unknown> = {}): Config {
  return configSchema.parse({
    site: { title: 'Harbor City Ledger', baseUrl: 'https://news.example.com/' },
    ...overrides,
  });
}

export const tempProject = () => mkdtempSync(join(tmpdir(), 'bs-site-'));

/** Every file under `dir` with its bytes, by relative path. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}
