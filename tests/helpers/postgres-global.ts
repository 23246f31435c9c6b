import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processRuns } from '../../src/state/lock.ts';
import { stopCluster } from './postgres.ts';

const PREFIX = 'broadsheet-pg-run-';

/**
 * vitest globalSetup: names this run's PostgreSQL cluster folder (tests/helpers/postgres.ts
 * starts the cluster lazily, on first use) and stops the cluster when the run ends. A run that
 * was killed never got to stop its own: its server kept running, folder and all, so each run
 * first stops the clusters of runs whose process is gone.
 */
export default function setup(): () => void {
  stopAbandonedClusters();
  const dir = join(tmpdir(), `${PREFIX}${process.pid}`);
  process.env.BROADSHEET_TEST_PG_DIR = dir;
  return () => stopCluster(dir);
}

function stopAbandonedClusters(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(name.slice(PREFIX.length));
    if (!name.startsWith(PREFIX) || !Number.isSafeInteger(pid) || pid <= 0 || processRuns(pid)) continue;
    stopCluster(join(tmpdir(), name));
  }
}
