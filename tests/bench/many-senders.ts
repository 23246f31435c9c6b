/**
 * Many senders sharing one PostgreSQL edition (issue 21), against a loopback SMTP server that
 * takes 50 ms per message (latency-bound, as a real provider is): msg/s for 1, 2 and 4 `send`
 * processes, and each one's peak RSS; a streaming import of many subscribers and its memory; and
 * the kill scenario at full size.
 *
 *   node --import tsx tests/bench/many-senders.ts                          # 1,2,4 senders, 4,000 subscribers each run
 *   node --import tsx tests/bench/many-senders.ts --subscribers 20000 --workers 1,2,4
 *   node --import tsx tests/bench/many-senders.ts --import 1000000         # streaming import only
 *   node --import tsx tests/bench/many-senders.ts --kill --subscribers 20000   # 4 senders, 2 killed and restarted
 *   npm run bench -- --many-senders                                        # the first, from the runner
 *
 * Each sender is a real `broadsheet send` process (own folder, BROADSHEET_DATABASE_URL) with 5
 * messages in flight. The cluster is a throwaway one (tests/helpers/postgres.ts). Nothing here
 * asserts a time; the kill run checks the same invariants as the test and says PASS/FAIL.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import pg from 'pg';
import { importSubscriberStream, postgresStore } from '../../src/state/store/index.ts';
import { startSmtpServer } from '../deliver/helpers.ts';
import { clusterUrl } from '../helpers/postgres.ts';
import { rng } from '../helpers/rng.ts';
import {
  FLEET_EDITION,
  fleetFolders,
  seedFleetState,
  startWorker,
  type Worker,
} from '../helpers/send-fleet.ts';

const IN_FLIGHT = 5;
const DELAY_MS = 50;
let databases = 0;

export interface FleetRun {
  workers: number;
  messages: number;
  seconds: number;
  perSecond: number;
  peakRssMb: number[];
}

async function freshDb(base: string): Promise<string> {
  const name = `bench_${process.pid}_${++databases}`;
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  return `${base}/${name}`;
}

/** The peak resident set of a running process (VmHWM), polled until it exits. */
function watchPeakRss(pid: number | undefined): { stop(): number } {
  let peakKb = 0;
  const read = () => {
    try {
      const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // Exited: keep the last reading.
    }
  };
  const timer = setInterval(read, 200);
  return {
    stop: () => {
      clearInterval(timer);
      return peakKb / 1024;
    },
  };
}

/** `workers` senders over `subscribers`: msg/s from the first accepted message to the last. */
export async function benchFleet(base: string, workers: number, subscribers: number): Promise<FleetRun> {
  const url = await freshDb(base);
  const store = await postgresStore(url);
  await seedFleetState(store, subscribers);
  await store.close();
  let first = 0;
  let last = 0;
  let taken = 0;
  const server = await startSmtpServer({
    delayMs: DELAY_MS,
    onMessage: () => {
      const now = performance.now();
      if (taken++ === 0) first = now;
      last = now;
      return 'accept';
    },
  });
  const { dirs, cleanup } = fleetFolders(workers, { maxConnections: IN_FLIGHT, ratePerSecond: 100_000 });
  const running = dirs.map((dir) => startWorker(dir, url, server.port));
  const watches = running.map((w) => watchPeakRss(w.child.pid));
  const results = await Promise.all(running.map((w) => w.exited));
  const peaks = watches.map((w) => w.stop());
  await server.idle();
  await server.close();
  cleanup();
  for (const result of results)
    if (result.code !== 0)
      process.stderr.write(`a sender exited ${result.code}: ${result.stderr.slice(-500)}\n`);
  const seconds = (last - first) / 1000;
  return { workers, messages: taken, seconds, perSecond: (taken - 1) / seconds, peakRssMb: peaks };
}

/** The issue's proof at full size: 4 senders, two killed with SIGKILL at random moments and restarted. */
async function benchKill(base: string, subscribers: number): Promise<boolean> {
  const url = await freshDb(base);
  const store = await postgresStore(url);
  await seedFleetState(store, subscribers);
  await store.close();
  const random = rng(Date.now() % 2 ** 31);
  const killAt = [0, 1].map(() => Math.floor(subscribers * (0.1 + 0.6 * random()))).sort((a, b) => a - b);
  const workers: Worker[] = [];
  const restarted: Promise<Worker>[] = [];
  let taken = 0;
  const started = performance.now();
  const server = await startSmtpServer({
    delayMs: DELAY_MS,
    onMessage: () => {
      const victim = killAt.indexOf(++taken);
      if (victim >= 0) {
        const worker = workers[victim] as Worker;
        worker.child.kill('SIGKILL');
        restarted.push(worker.exited.then(() => startWorker(worker.dir, url, server.port)));
      }
      return 'accept';
    },
  });
  const { dirs, cleanup } = fleetFolders(4, { maxConnections: IN_FLIGHT, ratePerSecond: 100_000 });
  for (const dir of dirs) workers.push(startWorker(dir, url, server.port));
  await Promise.all(workers.map((w) => w.exited));
  await Promise.all((await Promise.all(restarted)).map((w) => w.exited));
  await server.idle();
  await server.close();
  cleanup();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows = (
    await client.query(
      `SELECT s.email, d.state FROM subscribers s LEFT JOIN deliveries d
       ON d.subscriber_id = s.id AND d.edition_id = $1`,
      [FLEET_EDITION],
    )
  ).rows as { email: string; state: string | null }[];
  await client.end();
  const twice = rows.filter((r) => (server.received.get(r.email) ?? 0) > 1).length;
  const inDoubt = rows.filter((r) => r.state === 'sending').length;
  const wrong = rows.filter(
    (r) => r.state !== 'sending' && (r.state !== 'sent' || server.received.get(r.email) !== 1),
  );
  const ok = twice === 0 && wrong.length === 0 && inDoubt <= 4 * IN_FLIGHT;
  process.stdout.write(
    `kill run: ${subscribers} subscribers, 4 senders, killed at messages ${killAt.join(' and ')} and restarted, ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s\n` +
      `  received twice: ${twice}; sent but not received exactly once: ${wrong.length}; ` +
      `in doubt: ${inDoubt} (bound ${4 * IN_FLIGHT}) -> ${ok ? 'PASS' : 'FAIL'}\n`,
  );
  return ok;
}

/** A CSV of `count` subscribers, streamed into a new database by a child process: its memory. */
async function benchImport(base: string, count: number): Promise<void> {
  const file = join(tmpdir(), `broadsheet-import-${process.pid}.csv`);
  const out = createWriteStream(file);
  out.write('email,name,topics\n');
  for (let i = 1; i <= count; i++) {
    const line = `reader${i}@example.org,Reader ${i},${i % 3 === 0 ? 'transit' : ''}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  const url = await freshDb(base);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--import-child', url, file],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise((resolve) => child.on('exit', resolve));
  rmSync(file, { force: true });
  process.stdout.write(
    `import: ${count} subscribers from CSV, streamed in batches of 5,000, ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s\n${output}`,
  );
}

/** The import child: parses the CSV as a stream and prints RSS as it goes. */
async function importChild(url: string, file: string): Promise<void> {
  const store = await postgresStore(url);
  const rows = createReadStream(file).pipe(parse({ columns: true }));
  const samples: string[] = [];
  const mb = () => (process.memoryUsage().rss / 2 ** 20).toFixed(0);
  let nextSample = 100_000;
  const totals = await importSubscriberStream(
    store,
    (async function* () {
      for await (const row of rows as AsyncIterable<{ email: string; name: string; topics: string }>)
        yield { email: row.email, name: row.name, topics: row.topics ? row.topics.split(';') : [] };
    })(),
    '2026-11-24T12:00:00.000Z',
    {
      onBatch: (t) => {
        if (t.added >= nextSample) {
          samples.push(`${t.added / 1000}k: ${mb()} MB`);
          nextSample += 100_000;
        }
      },
    },
  );
  const importPeak = process.resourceUsage().maxRSS / 1024;
  // Planning a send to all of them: the first claim adds a pending ledger row per subscriber, in
  // the database (INSERT … SELECT), and takes 5; the sender never holds the list.
  const planStarted = performance.now();
  const claimed = await store.claimBatch(FLEET_EDITION, {
    limit: 5,
    now: '2026-11-24T12:00:00.000Z',
    messageIdFor: String,
  });
  const counts = await store.countDeliveries(FLEET_EDITION);
  await store.close();
  process.stdout.write(
    `  added ${totals.added}; RSS as it went: ${samples.join(', ')}; peak RSS ${importPeak.toFixed(0)} MB\n` +
      `  planning a send to all: ${counts.pending + counts.sending} ledger rows (${claimed.length} claimed) in ` +
      `${((performance.now() - planStarted) / 1000).toFixed(1)} s; peak RSS after ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, RSS now ${mb()} MB\n`,
  );
}

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** For `npm run bench -- --many-senders`: 1, 2 and 4 senders; printed as a table. */
export async function benchManySenders(subscribers: number, workerCounts = [1, 2, 4]): Promise<FleetRun[]> {
  const base = await clusterUrl();
  const runs: FleetRun[] = [];
  for (const workers of workerCounts) {
    process.stderr.write(`many senders: ${workers} sender(s), ${subscribers} subscribers...\n`);
    runs.push(await benchFleet(base, workers, subscribers));
  }
  return runs;
}

export function formatFleetRuns(runs: FleetRun[]): string {
  const one = runs.find((r) => r.workers === 1)?.perSecond ?? null;
  return [
    `Many senders, one PostgreSQL edition, SMTP server adding ${DELAY_MS} ms per message, ${IN_FLIGHT} in flight per sender` +
      ` (${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at the end):`,
    ...runs.map(
      (r) =>
        `  ${String(r.workers).padStart(2)} sender(s): ${r.perSecond.toFixed(0).padStart(5)} msg/s` +
        `${one ? ` (${(r.perSecond / one).toFixed(2)}x one)` : ''}, ${r.messages} messages in ${r.seconds.toFixed(1)} s,` +
        ` peak RSS per sender ${r.peakRssMb.map((m) => `${m.toFixed(0)} MB`).join(' / ')}`,
    ),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const childAt = process.argv.indexOf('--import-child');
  if (childAt >= 0) {
    await importChild(process.argv[childAt + 1] as string, process.argv[childAt + 2] as string);
  } else {
    const subscribers = Number(flag('--subscribers') ?? 4000);
    if (process.argv.includes('--kill')) {
      process.exitCode = (await benchKill(await clusterUrl(), subscribers)) ? 0 : 1;
    } else if (flag('--import')) {
      await benchImport(await clusterUrl(), Number(flag('--import')));
    } else {
      const workers = (flag('--workers') ?? '1,2,4').split(',').map(Number);
      process.stdout.write(`${formatFleetRuns(await benchManySenders(subscribers, workers))}\n`);
    }
  }
  process.exit();
}
