import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresStore } from '../../src/state/store/index.ts';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { rng } from '../helpers/rng.ts';
import {
  FLEET_EDITION,
  fleetFolders,
  seedFleetState,
  startWorker,
  type Worker,
} from '../helpers/send-fleet.ts';
import { startSmtpServer } from './helpers.ts';

/**
 * The proof at test size: 4 senders in separate folders share one PostgreSQL edition; a
 * server that takes 50 ms per message counts per recipient; two senders are killed with SIGKILL
 * at seeded-random moments and started again. The full 20,000-subscriber run is
 * `node --import tsx tests/bench/many-senders.ts --kill` (2,000 here: a 2-core shared machine).
 */
const SUBSCRIBERS = 2000;
const WORKERS = 4;
const IN_FLIGHT = 5;
const SEED = 21;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!postgresAvailable())(
  'many senders on one PostgreSQL edition, two killed and restarted',
  () => {
    it('delivers to everybody not in doubt exactly once, nobody twice, in doubt at most workers × in flight', async () => {
      const url = await freshDatabase('fleet');
      const store = await postgresStore(url);
      cleanups.push(() => store.close());
      await seedFleetState(store, SUBSCRIBERS);
      const random = rng(SEED);
      // Two kill moments, as counts of messages the server has taken: somewhere in 10%–70%.
      const killAt = [0, 1].map(() => Math.floor(SUBSCRIBERS * (0.1 + 0.6 * random()))).sort((a, b) => a - b);
      const { dirs, cleanup } = fleetFolders(WORKERS, { maxConnections: IN_FLIGHT, ratePerSecond: 5000 });
      cleanups.push(cleanup);

      const workers: Worker[] = [];
      const restarted: Worker[] = [];
      const kills: Promise<unknown>[] = [];
      let taken = 0;
      const server = await startSmtpServer({
        delayMs: 50,
        onMessage: () => {
          taken++;
          const victim = killAt.indexOf(taken);
          if (victim >= 0) {
            // Worker 1 at the first moment, worker 2 at the second; each started again at once.
            const worker = workers[victim] as Worker;
            worker.child.kill('SIGKILL');
            kills.push(
              worker.exited.then((result) => {
                restarted.push(startWorker(worker.dir, url, server.port));
                return result;
              }),
            );
          }
          return 'accept';
        },
      });
      cleanups.push(server.close);
      for (const dir of dirs) workers.push(startWorker(dir, url, server.port));

      const firstRuns = await Promise.all(workers.map((w) => w.exited));
      await Promise.all(kills);
      const secondRuns = await Promise.all(restarted.map((w) => w.exited));
      await server.idle();
      const logs = [...firstRuns, ...secondRuns].map((r) => r.stderr).join('\n');

      expect(firstRuns.filter((r) => r.signal === 'SIGKILL').length, logs).toBe(2);
      expect(secondRuns.length).toBe(2);
      for (const run of secondRuns) expect(run.signal, run.stderr).toBeNull();

      const client = new pg.Client({ connectionString: url });
      await client.connect();
      cleanups.push(() => client.end());
      const rows = (
        await client.query(
          `SELECT s.email, d.state FROM subscribers s LEFT JOIN deliveries d
         ON d.subscriber_id = s.id AND d.edition_id = $1 ORDER BY s.id`,
          [FLEET_EDITION],
        )
      ).rows as { email: string; state: string | null }[];
      const counts = rows.map((r) => server.received.get(r.email) ?? 0);
      const inDoubt = rows.filter((r) => r.state === 'sending');

      expect(rows.length).toBe(SUBSCRIBERS);
      expect(Math.max(...counts), logs).toBe(1); // nobody twice
      expect(inDoubt.length, logs).toBeLessThanOrEqual(WORKERS * IN_FLIGHT);
      for (const row of rows) {
        if (row.state === 'sending') continue; // in doubt: 0 or 1 copies, reported
        expect(row.state, row.email).toBe('sent');
        expect(server.received.get(row.email), row.email).toBe(1);
      }
      // The in-doubt rows are reported by the senders that ran last.
      if (inDoubt.length > 0) expect(logs).toContain(`in doubt ${inDoubt.length}`);
    });
  },
);
