import { join, resolve } from 'node:path';
import { DateTime } from 'luxon';
import type { Context } from '../../src/cli/context.ts';
import type { Config } from '../../src/config/schema.ts';
import { openCacheFile } from '../../src/state/cache.ts';
import { openState } from '../../src/state/db.ts';

/**
 * A real Context (and so a pipeline host) over a temp project folder: real SQLite state and cache
 * files, a fixed "now", silent (no log lines, no progress bar, diagnostics only returned).
 */
export function testContext(root: string, now: string, config: Config): Context {
  return {
    loaded: { config, root, file: null },
    env: { smtpUrl: null, unsubscribeSecret: null, dkim: null, sourceDateEpoch: null, databaseUrl: null },
    now: DateTime.fromISO(now, { setZone: true }).setZone(config.site.timeZone),
    quiet: true,
    path: (configured) => resolve(root, configured),
    openState: () => openState(join(root, config.paths.state)),
    openCache: () => openCacheFile(join(root, config.paths.cache)),
    lockPath: (what) => join(root, '.broadsheet', `${what}.lock`),
    log: () => {},
    report: () => {},
    progress: () => ({ tick: () => {}, stop: () => {} }),
    heapLimitBytes: () => Number.POSITIVE_INFINITY,
  };
}
