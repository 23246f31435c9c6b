import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopCluster } from './postgres.ts';

/**
 * vitest globalSetup: names this run's PostgreSQL cluster folder (tests/helpers/postgres.ts
 * starts the cluster lazily, on first use) and stops the cluster when the run ends.
 */
export default function setup(): () => void {
  const dir = join(tmpdir(), `broadsheet-pg-run-${process.pid}`);
  process.env.BROADSHEET_TEST_PG_DIR = dir;
  return () => stopCluster(dir);
}
