/**
 * How fast `send` delivers, compared like with like in the same run (issue 19's delivery target):
 *
 * - plain nodemailer: one pooled transport, the messages already built (the same bytes Broadsheet
 *   sends), every `sendMail` queued at once: no Broadsheet code between the messages;
 * - Broadsheet: `sendEdition` as `broadsheet send` runs it: the ledger in a real SQLite state file
 *   (WAL, synchronous=FULL), the subscriber list read from it, each message composed in the loop
 *   (signed unsubscribe and preferences links, VERP trace), through `createSmtpTransport`; and
 *   where `broadsheet send` runs it: in a worker thread with the send thread's young generation
 *   (`SEND_YOUNG_GENERATION_MB`, src/cli/send-thread.js). Plain nodemailer runs on the main thread
 *   with Node's defaults, as a program of its own would. Each side's "main thread" CPU is the
 *   thread that drives its sockets (for Broadsheet, the send thread; its commit thread is apart).
 *
 * Both use the same pool size and send to the same smtp-server, which runs in a child process
 * (as a real mail server would: on the other core, not on the sender's event loop). The two
 * alternate for several rounds and the medians are compared.
 *
 *   node --import tsx tests/bench/send.ts                     # 1,000 messages of ~60 KB, 5 rounds
 *   node --import tsx tests/bench/send.ts --messages 2000 --rounds 5 --json
 *   node --import tsx tests/bench/send.ts --all               # also: no pool, pool 1 and 10, outbox
 *   node --import tsx tests/bench/send.ts --profile           # one run of each, CPU profiled
 *                                                             # (both on the main thread: where, not how fast)
 *
 * `benchSend()` is exported for the `npm run bench` runner. Nothing here asserts a time.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { SendMailOptions } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { SEND_YOUNG_GENERATION_MB } from '../../src/cli/send-thread.js';
import { traceToken, verpAddress } from '../../src/deliver/bounces/index.ts';
import {
  type Compose,
  createOutboxTransport,
  createSmtpTransport,
  type MessageSettings,
  messageComposer,
  sendEdition,
  type Transport,
  toMailOptions,
} from '../../src/deliver/index.ts';
import { UNSUBSCRIBE_URL_PLACEHOLDER } from '../../src/newsletter/index.ts';
import { openState } from '../../src/state/db.ts';
import { addSubscriber, listSubscribers, withoutSuppressed } from '../../src/state/index.ts';

export interface SendBenchRun {
  label: string;
  messages: number;
  seconds: number;
  perSecond: number;
  /**
   * CPU time of this process (the sender, all its threads, the ledger's commit thread included;
   * the server is another process) per message, in ms.
   */
  cpuMsPerMessage: number;
  /**
   * CPU time of the main thread alone per message, in ms (Linux; null elsewhere): the thread that
   * drives the sockets, and the one a commit on the event loop stalls.
   */
  mainCpuMsPerMessage: number | null;
  /** Garbage-collection pauses of the main thread per message, in ms, and how many were young-generation ones. */
  gcMsPerMessage: number;
  scavenges: number;
}

/** The target's pair: the medians of alternating rounds, and Broadsheet's rate over plain nodemailer's. */
export interface SendComparison {
  poolSize: number;
  rounds: number;
  /** msg/s of each round, in the order run. */
  plainRounds: number[];
  ledgerRounds: number[];
  plainPerSecond: number;
  ledgerPerSecond: number;
  /** ledger / plain, of the medians: 1 is as fast as plain nodemailer; the target is ≥ 0.9. */
  ratio: number;
}

export interface SendBenchResult {
  messages: number;
  messageKb: number;
  runs: SendBenchRun[];
  comparison: SendComparison;
}

// The same build of nodemailer Broadsheet loads (CommonJS, see src/deliver/nodemailer.ts), not its ESM twin.
const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');

const EDITION = 'bench';
const DATE = '2026-11-24T12:00:00.000Z';
const SIGNING_KEY = 'bench-signing-key-0123456789abcdefghijklmnopqrstuv';

const SETTINGS: MessageSettings = {
  from: { name: 'Bench', address: 'newsletter@bench.example' },
  replyTo: null,
  listId: 'newsletter.bench.example',
  listName: 'Bench',
  unsubscribeMailto: null,
};

/** An HTML body of about `kb` KB with the usual mix of markup and text, and the placeholder. */
function renderedOfSize(kb: number) {
  const story =
    '<tr><td style="padding:12px 24px;font-family:Georgia,serif"><h2><a href="https://bench.example/a/">A headline of ordinary length for a story</a></h2>' +
    '<p>The council voted on Monday after two years of debate, and the plan now goes to the mayor for a signature.</p></td></tr>\n';
  const html = `<!doctype html><html><body><table>${story.repeat(Math.ceil((kb * 1024) / story.length))}</table><a href="${UNSUBSCRIBE_URL_PLACEHOLDER}">Unsubscribe</a></body></html>`;
  return {
    subject: 'Bench: the day in brief',
    preheader: 'Bench',
    html,
    text: `${'The council voted on Monday after two years of debate.\n'.repeat(kb * 4)}Unsubscribe: ${UNSUBSCRIBE_URL_PLACEHOLDER}\n`,
  };
}

/** What `broadsheet send` composes per subscriber: signed links and the VERP trace, as production. */
function benchComposer(kb: number): Compose {
  return messageComposer({
    editionId: EDITION,
    renders: new Map([['', renderedOfSize(kb)]]),
    settings: SETTINGS,
    endpoint: new URL('https://bench.example/unsubscribe'),
    preferencesEndpoint: new URL('https://bench.example/preferences'),
    signingKey: SIGNING_KEY,
    date: () => DATE,
    trace: (id) => {
      const token = traceToken(SIGNING_KEY, EDITION, id);
      return { returnPath: verpAddress('bounces@bench.example', token), token };
    },
  });
}

const flat = (text: string) => Buffer.from(text).toString();

const recipient = (id: number) => ({ id, email: `reader${id}@bench.example`, name: null, topics: [] });

// ---------------------------------------------------------------------------------------------
// The SMTP server: a child process that accepts everything and counts what it received.

interface Sink {
  url: string;
  received(): Promise<number>;
  close(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--sink'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T>(request: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (reply) => resolve(reply as T));
      child.send(request);
    });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { port: number }));
    child.once('exit', (code) => reject(new Error(`the SMTP sink exited (${code}) before listening`)));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => ask<number>('count'),
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}

/** The child's side: listen on a free loopback port, report it, answer `count`. */
async function runSink(): Promise<void> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port)),
  );
  process.on('message', () => process.send?.(received));
  process.on('disconnect', () => process.exit(0));
  process.send?.({ port });
}

// ---------------------------------------------------------------------------------------------
// The two ways to send

/** Plain nodemailer, pooled, with messages built beforehand: the floor Broadsheet is measured against. */
async function timePlainNodemailer(
  label: string,
  sink: Sink,
  messages: number,
  kb: number,
  pool: number,
): Promise<SendBenchRun> {
  const compose = benchComposer(kb);
  const mails: SendMailOptions[] = [];
  for (let id = 1; id <= messages; id++) {
    const message = compose(recipient(id));
    // Flat strings, as a template engine hands them over (`buildMessage` joins pieces lazily).
    if (message)
      mails.push(toMailOptions({ ...message, html: flat(message.html), text: flat(message.text) }));
  }
  const transporter = nodemailer.createTransport({ url: sink.url, pool: true, maxConnections: pool });
  const before = await sink.received();
  const measuring = startMeasuring(label, messages);
  await Promise.all(mails.map((mail) => transporter.sendMail(mail)));
  const run = measuring.stop();
  transporter.close();
  await expectReceived(sink, before, messages, label);
  return run;
}

/**
 * `sendEdition` as the `send` command calls it, on a fresh state file with `messages` active
 * subscribers: reading the list, composing, claiming, handing over and recording are all timed.
 */
async function timeBroadsheet(
  label: string,
  messages: number,
  kb: number,
  pool: number,
  makeTransport: () => Transport,
): Promise<SendBenchRun> {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-bench-send-'));
  const db = openState(join(dir, 'state.db'));
  try {
    db.transaction(() => {
      for (let i = 1; i <= messages; i++) addSubscriber(db, { email: `reader${i}@bench.example` }, DATE);
    })();
    const compose = benchComposer(kb);
    const transport = makeTransport();
    const measuring = startMeasuring(label, messages);
    const summary = await sendEdition({
      db,
      editionId: EDITION,
      listId: SETTINGS.listId,
      subscribers: withoutSuppressed(db, listSubscribers(db, 'active')),
      compose: (subscriber) => compose(subscriber),
      transport,
      concurrency: pool,
      ratePerSecond: Number.POSITIVE_INFINITY,
      retries: 0,
      backoffMs: 0,
      bounceThreshold: 1,
      resendInDoubt: false,
      now: () => new Date().toISOString(),
      clock: () => performance.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
    const run = measuring.stop();
    await transport.close();
    if (summary.sent !== messages) throw new Error(`${label}: sent ${summary.sent} of ${messages}`);
    return run;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How the Broadsheet side hands its messages over: SMTP (pooled or not) to the sink, or the outbox. */
type BroadsheetTransport = { kind: 'smtp'; url: string; pool: number; pooled: boolean } | { kind: 'outbox' };

interface BroadsheetRequest {
  label: string;
  messages: number;
  kb: number;
  concurrency: number;
  transport: BroadsheetTransport;
}

/** The Broadsheet side in a thread like `broadsheet send`'s: one thread for the whole bench, rounds asked in turn. */
interface BroadsheetThread {
  run(request: BroadsheetRequest): Promise<SendBenchRun>;
  close(): Promise<void>;
}

function startBroadsheetThread(): BroadsheetThread {
  // The thread loads this file through tsx (it does not inherit the main thread's loader).
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`,
    {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: SEND_YOUNG_GENERATION_MB },
      workerData: { broadsheetSide: true },
    },
  );
  let failure: Error | null = null;
  worker.on('error', (error) => {
    failure = error;
  });
  return {
    run: (request) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        const onExit = () => reject(failure ?? new Error('the Broadsheet thread stopped'));
        worker.once('exit', onExit);
        worker.once('message', (reply: { run: SendBenchRun } | { error: string }) => {
          worker.off('exit', onExit);
          if ('run' in reply) resolve(reply.run);
          else reject(new Error(reply.error));
        });
        worker.postMessage(request);
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}

/** The thread's side: runs each request with the transport it names and sends the figures back. */
function serveBroadsheetSide(): void {
  parentPort?.on('message', async (request: BroadsheetRequest) => {
    const spec = request.transport;
    const outbox = spec.kind === 'outbox' ? mkdtempSync(join(tmpdir(), 'broadsheet-bench-outbox-')) : null;
    try {
      const { writeFileAtomic } = await import('../../src/pipeline/output.ts');
      const makeTransport = (): Transport =>
        spec.kind === 'smtp'
          ? createSmtpTransport({ url: spec.url, maxConnections: spec.pool, pool: spec.pooled })
          : createOutboxTransport({
              folder: outbox as string,
              write: (name, bytes) => writeFileAtomic(join(outbox as string, name), bytes),
            });
      const run = await timeBroadsheet(
        request.label,
        request.messages,
        request.kb,
        request.concurrency,
        makeTransport,
      );
      parentPort?.postMessage({ run });
    } catch (error) {
      parentPort?.postMessage({ error: String((error as Error)?.stack ?? error) });
    } finally {
      if (outbox) rmSync(outbox, { recursive: true, force: true });
    }
  });
}

/** One Broadsheet run in the thread; over SMTP, checked against what the sink received. */
async function broadsheetRun(
  thread: BroadsheetThread,
  sink: Sink,
  request: BroadsheetRequest,
): Promise<SendBenchRun> {
  const before = await sink.received();
  const run = await thread.run(request);
  if (request.transport.kind === 'smtp') await expectReceived(sink, before, request.messages, request.label);
  return run;
}

/** A rate is only worth reporting if every message arrived. */
async function expectReceived(sink: Sink, before: number, messages: number, label: string): Promise<void> {
  const got = (await sink.received()) - before;
  if (got !== messages) throw new Error(`${label}: the server received ${got} of ${messages}`);
}

/** Time, CPU (the process's and this thread's) and GC of `messages` sends, from now until `stop()`. */
function startMeasuring(label: string, messages: number): { stop(): SendBenchRun } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const threadCpu = threadCpuMs();
  const gc = recordGc();
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000;
      const cpuMsPerMessage = cpuMs(process.cpuUsage(cpu)) / messages;
      const mainCpuMsPerMessage = perMessage(threadCpuMs(), threadCpu, messages);
      const { gcMs, scavenges } = gc.stop();
      return {
        label,
        messages,
        seconds,
        perSecond: messages / seconds,
        cpuMsPerMessage,
        mainCpuMsPerMessage,
        gcMsPerMessage: gcMs / messages,
        scavenges,
      };
    },
  };
}

/**
 * The calling thread's garbage-collection pauses from now until `stop()`: their total in ms and the
 * number of young-generation ones (scavenges), where composing in the loop shows up.
 */
function recordGc(): { stop(): { gcMs: number; scavenges: number } } {
  let gcMs = 0;
  let scavenges = 0;
  const add = (entries: PerformanceEntry[]) => {
    for (const entry of entries) {
      gcMs += entry.duration;
      if (
        (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ===
        constants.NODE_PERFORMANCE_GC_MINOR
      )
        scavenges++;
    }
  };
  const observer = new PerformanceObserver((list) => add(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      add(observer.takeRecords());
      observer.disconnect();
      return { gcMs, scavenges };
    },
  };
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/**
 * CPU time of the calling thread so far (the main thread, or the send thread), in ms, from /proc
 * (Node 20 has no per-thread CPU call); null where there is no /proc. In clock ticks of 10 ms:
 * fine over a run of seconds.
 */
function threadCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the command name (which may hold spaces), from field 3: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function perMessage(after: number | null, before: number | null, messages: number): number | null {
  return after === null || before === null ? null : (after - before) / messages;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Plain nodemailer and Broadsheet in turns (plain first in odd rounds, second in even ones). */
async function comparePair(
  sink: Sink,
  thread: BroadsheetThread,
  messages: number,
  kb: number,
  pool: number,
  rounds: number,
): Promise<{ comparison: SendComparison; runs: SendBenchRun[] }> {
  const plainLabel = `plain nodemailer, pool of ${pool}, messages prebuilt`;
  const ledgerLabel = `Broadsheet sendEdition, ledger on, pool of ${pool}`;
  const plain = () => timePlainNodemailer(plainLabel, sink, messages, kb, pool);
  const transport: BroadsheetTransport = { kind: 'smtp', url: sink.url, pool, pooled: true };
  const ledger = () =>
    broadsheetRun(thread, sink, { label: ledgerLabel, messages, kb, concurrency: pool, transport });
  // A short warm-up of both (JIT, nodemailer's and SQLite's first use), not counted.
  await timePlainNodemailer('warm-up', sink, Math.min(100, messages), kb, pool);
  await broadsheetRun(thread, sink, {
    label: 'warm-up',
    messages: Math.min(100, messages),
    kb,
    concurrency: pool,
    transport,
  });
  const plainRuns: SendBenchRun[] = [];
  const ledgerRuns: SendBenchRun[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      plainRuns.push(await plain());
      ledgerRuns.push(await ledger());
    } else {
      ledgerRuns.push(await ledger());
      plainRuns.push(await plain());
    }
  }
  const plainPerSecond = median(plainRuns.map((r) => r.perSecond));
  const ledgerPerSecond = median(ledgerRuns.map((r) => r.perSecond));
  const medianRun = (label: string, runs: SendBenchRun[]): SendBenchRun => {
    const perSecond = median(runs.map((r) => r.perSecond));
    return {
      label: `${label} (median of ${rounds})`,
      messages,
      seconds: messages / perSecond,
      perSecond,
      cpuMsPerMessage: median(runs.map((r) => r.cpuMsPerMessage)),
      mainCpuMsPerMessage: runs.every((r) => r.mainCpuMsPerMessage !== null)
        ? median(runs.map((r) => r.mainCpuMsPerMessage as number))
        : null,
      gcMsPerMessage: median(runs.map((r) => r.gcMsPerMessage)),
      scavenges: median(runs.map((r) => r.scavenges)),
    };
  };
  return {
    comparison: {
      poolSize: pool,
      rounds,
      plainRounds: plainRuns.map((r) => r.perSecond),
      ledgerRounds: ledgerRuns.map((r) => r.perSecond),
      plainPerSecond,
      ledgerPerSecond,
      ratio: ledgerPerSecond / plainPerSecond,
    },
    runs: [medianRun(plainLabel, plainRuns), medianRun(ledgerLabel, ledgerRuns)],
  };
}

/** Other ways to send, for context (`--all`): no pool, other pool sizes, the outbox folder. */
async function otherConfigurations(
  sink: Sink,
  thread: BroadsheetThread,
  messages: number,
  kb: number,
): Promise<SendBenchRun[]> {
  const smtp = (pool: number, pooled: boolean): BroadsheetTransport => ({
    kind: 'smtp',
    url: sink.url,
    pool,
    pooled,
  });
  const configurations: BroadsheetRequest[] = [
    {
      label: 'Broadsheet, a connection per message, 5 at a time',
      messages,
      kb,
      concurrency: 5,
      transport: smtp(5, false),
    },
    ...[1, 10].map((pool) => ({
      label: `Broadsheet, pool of ${pool}`,
      messages,
      kb,
      concurrency: pool,
      transport: smtp(pool, true),
    })),
    {
      label: 'Broadsheet, outbox (.eml files, atomic writes)',
      messages,
      kb,
      concurrency: 5,
      transport: { kind: 'outbox' },
    },
  ];
  const runs: SendBenchRun[] = [];
  for (const request of configurations) runs.push(await broadsheetRun(thread, sink, request));
  return runs;
}

/**
 * Sends `messages` messages of about `messageKb` KB with plain nodemailer and with Broadsheet,
 * `rounds` times each in turns, pool of `poolSize`; `all` adds the other configurations.
 */
export async function benchSend(
  options: { messages?: number; messageKb?: number; rounds?: number; poolSize?: number; all?: boolean } = {},
): Promise<SendBenchResult> {
  const messages = options.messages ?? 1000;
  const kb = options.messageKb ?? 60;
  const sink = await startSink();
  const thread = startBroadsheetThread();
  try {
    const pair = await comparePair(sink, thread, messages, kb, options.poolSize ?? 5, options.rounds ?? 5);
    const runs = [
      ...pair.runs,
      ...(options.all ? await otherConfigurations(sink, thread, messages, kb) : []),
    ];
    return { messages, messageKb: kb, runs, comparison: pair.comparison };
  } finally {
    await thread.close();
    await sink.close();
  }
}

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** One run of each side under the sampling profiler, summarized (`--profile`): where the gap goes. */
async function profileBoth(messages: number, kb: number, pool: number): Promise<void> {
  const { formatSummary, profiled, summarizeProfile } = await import('./profile.ts');
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const sink = await startSink();
  try {
    await timePlainNodemailer('warm-up', sink, 100, kb, pool);
    const sides: [string, () => Promise<SendBenchRun>][] = [
      ['plain nodemailer', () => timePlainNodemailer('plain', sink, messages, kb, pool)],
      [
        'Broadsheet sendEdition',
        () =>
          timeBroadsheet('Broadsheet', messages, kb, pool, () =>
            createSmtpTransport({ url: sink.url, maxConnections: pool }),
          ),
      ],
    ];
    for (const [section, run] of sides) {
      const file = join(tmpdir(), `broadsheet-send-${section.split(' ')[0]}.cpuprofile`);
      const { value, profile } = await profiled(file, run);
      const summary = {
        section: `${section}: ${value.perSecond.toFixed(0)} msg/s`,
        file,
        ...summarizeProfile(profile, root, 20),
      };
      process.stdout.write(`${formatSummary(summary)}\n\n`);
    }
  } finally {
    await sink.close();
  }
}

if (!isMainThread && (workerData as { broadsheetSide?: boolean } | null)?.broadsheetSide)
  serveBroadsheetSide();
else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--sink')) await runSink();
  else if (process.argv.includes('--profile'))
    await profileBoth(
      Number(flag('--messages') ?? 500),
      Number(flag('--kb') ?? 60),
      Number(flag('--pool') ?? 5),
    );
  else {
    const result = await benchSend({
      messages: Number(flag('--messages') ?? 1000),
      messageKb: Number(flag('--kb') ?? 60),
      rounds: Number(flag('--rounds') ?? 5),
      poolSize: Number(flag('--pool') ?? 5),
      all: process.argv.includes('--all'),
    });
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const c = result.comparison;
      const list = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
      process.stdout.write(
        `send: ${result.messages} messages of ~${result.messageKb} KB to a loopback smtp-server (child process)\n`,
      );
      for (const run of result.runs)
        process.stdout.write(
          `  ${run.label.padEnd(64)} ${run.perSecond.toFixed(0).padStart(6)} msg/s  (${run.seconds.toFixed(2)} s, ` +
            `CPU ${run.cpuMsPerMessage.toFixed(2)} ms/msg, main thread ${run.mainCpuMsPerMessage?.toFixed(2) ?? '?'} ms/msg, ` +
            `GC ${run.gcMsPerMessage.toFixed(3)} ms/msg in ${run.scavenges} scavenges and the rest)\n`,
        );
      process.stdout.write(
        `  rounds: plain ${list(c.plainRounds)}; Broadsheet ${list(c.ledgerRounds)} msg/s\n` +
          `  Broadsheet / plain nodemailer: ${c.ratio.toFixed(3)} (target ≥ 0.90)\n`,
      );
    }
  }
}
