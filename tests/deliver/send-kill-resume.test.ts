import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openState } from '../../src/state/db.ts';
import { deliveriesOf } from '../../src/state/ledger.ts';
import { listSubscribers } from '../../src/state/subscribers.ts';
import { harborConfig, sampleEdition, storeEdition } from './edition.ts';
import { addSubscribers, startSmtpServer, tempState } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const SUBSCRIBERS = 200;
const CONCURRENCY = 4;
const KILL_AFTER = 60;
/** The sender's lanes (2 per connection, see sendEdition): each holds at most one row in doubt. */
const LANES = 2 * CONCURRENCY;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function runSend(cwd: string, port: number, onSpawn?: (child: ChildProcess) => void) {
  const child = spawn(process.execPath, [BIN, '-c', join(cwd, 'broadsheet.config.json'), 'send'], {
    cwd,
    env: {
      ...process.env,
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      BROADSHEET_UNSUBSCRIBE_SECRET: 'test-secret-for-kill-resume',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  onSpawn?.(child);
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
}

// SIGTERM is how a service manager or `kill` stops it, SIGINT is Ctrl-C; `send` runs in a worker thread
// (src/cli/send-thread.js), which must die with the process either way.
describe.each(['SIGKILL', 'SIGTERM', 'SIGINT'] as const)(
  'send killed with %s mid-run, then run again',
  (signal) => {
    it('delivers to everybody not in doubt exactly once, nobody twice, and at most one in doubt per lane (2 × the pool size)', async () => {
      const state = tempState();
      cleanups.push(state.cleanup);
      writeFileSync(
        join(state.dir, 'broadsheet.config.json'),
        JSON.stringify({
          site: { title: 'The Harbor City Ledger', baseUrl: 'https://ledger.example/' },
          feeds: {
            topics: [
              { name: 'Transit', slug: 'transit' },
              { name: 'Climate', slug: 'climate' },
            ],
          },
          paths: { state: 'state.db', out: 'out' },
          delivery: { ratePerSecond: 1000, maxConnections: CONCURRENCY, listId: 'newsletter.ledger.example' },
        }),
      );
      storeEdition(state.db, sampleEdition(harborConfig()));
      addSubscribers(state.db, SUBSCRIBERS);
      state.db.close();

      let child: ChildProcess | undefined;
      let total = 0;
      // A slow server: each message takes a moment to be accepted, so several are in flight when the kill lands.
      const server = await startSmtpServer({
        delayMs: 15,
        onMessage: () => {
          total++;
          if (total === KILL_AFTER) child?.kill(signal);
          return 'accept';
        },
      });
      cleanups.push(server.close);

      const killed = await runSend(state.dir, server.port, (c) => {
        child = c;
      });
      expect(killed.signal, killed.stderr).toBe(signal);
      // The child can exit inside the server's accept delay: count what the server took, not what it has answered yet.
      await server.idle();
      const afterKill = [...server.received.values()].reduce((a, b) => a + b, 0);
      expect(afterKill).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(afterKill).toBeLessThan(SUBSCRIBERS);

      const second = await runSend(state.dir, server.port);
      expect(second.signal, second.stderr).toBeNull();

      const db = openState(state.path);
      cleanups.push(() => {
        db.close();
      });
      const ledger = deliveriesOf(db, '2026-11-24');
      const subscribers = listSubscribers(db);
      const inDoubt = subscribers.filter((s) => ledger.get(s.id)?.state === 'sending');
      const counts = subscribers.map((s) => server.received.get(s.email) ?? 0);

      expect(Math.max(...counts), second.stderr).toBe(1); // nobody twice
      expect(inDoubt.length, second.stderr).toBeLessThanOrEqual(LANES);
      for (const subscriber of subscribers) {
        const state = ledger.get(subscriber.id)?.state;
        if (state === 'sending') continue; // in doubt: received 0 or 1 times, reported
        expect(state, `${subscriber.email}\n${second.stderr}`).toBe('sent');
        expect(server.received.get(subscriber.email), subscriber.email).toBe(1);
      }
      // The second run says what is in doubt and exits 1 so a cron job notices.
      if (inDoubt.length > 0) {
        expect(second.code, second.stderr).toBe(1);
        expect(second.stderr).toContain(`in doubt ${inDoubt.length}`);
        for (const s of inDoubt) expect(second.stderr).toContain(`in doubt: ${s.email}`);
      } else expect(second.code, second.stderr).toBe(0);
    });
  },
);
