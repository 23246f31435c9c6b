/**
 * How fast `send` delivers, end to end: the ledger-driven sender (two fsync'd ledger commits per
 * message, synchronous=FULL), nodemailer, and a loopback smtp-server that accepts everything.
 *
 *   node --import tsx tests/bench/send.ts                     # 500 messages of ~60 KB
 *   node --import tsx tests/bench/send.ts --messages 2000 --json
 *
 * `benchSend()` is exported for the `npm run bench` runner. Nothing here asserts a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SMTPServer } from 'smtp-server';
import {
  buildMessage,
  createOutboxTransport,
  createSmtpTransport,
  type MessageSettings,
  sendEdition,
  type Transport,
} from '../../src/deliver/index.ts';
import { UNSUBSCRIBE_URL_PLACEHOLDER } from '../../src/newsletter/index.ts';
import { openState } from '../../src/state/db.ts';
import { addSubscriber, listSubscribers } from '../../src/state/subscribers.ts';

export interface SendBenchRun {
  label: string;
  messages: number;
  seconds: number;
  perSecond: number;
}

export interface SendBenchResult {
  messages: number;
  messageKb: number;
  runs: SendBenchRun[];
}

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

async function startSink(): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
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
  return {
    port,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function timeOneRun(
  label: string,
  messages: number,
  kb: number,
  concurrency: number,
  makeTransport: () => Transport,
): Promise<SendBenchRun> {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-bench-send-'));
  const db = openState(join(dir, 'state.db'));
  try {
    db.transaction(() => {
      for (let i = 1; i <= messages; i++)
        addSubscriber(db, { email: `reader${i}@bench.example` }, '2026-11-24T12:00:00.000Z');
    })();
    const rendered = renderedOfSize(kb);
    const transport = makeTransport();
    const started = performance.now();
    const summary = await sendEdition({
      db,
      editionId: 'bench',
      listId: SETTINGS.listId,
      subscribers: listSubscribers(db, 'active'),
      compose: (s) =>
        buildMessage({
          rendered,
          editionId: 'bench',
          recipient: s,
          settings: SETTINGS,
          unsubscribeUrl: `https://bench.example/unsubscribe?t=${s.id}`,
          date: '2026-11-24T12:00:00.000Z',
        }),
      transport,
      concurrency,
      ratePerSecond: Number.POSITIVE_INFINITY,
      retries: 0,
      backoffMs: 0,
      bounceThreshold: 1,
      resendInDoubt: false,
      now: () => new Date().toISOString(),
      clock: () => performance.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
    const seconds = (performance.now() - started) / 1000;
    await transport.close();
    if (summary.sent !== messages) throw new Error(`${label}: sent ${summary.sent} of ${messages}`);
    return { label, messages, seconds, perSecond: messages / seconds };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The transport on its own (no ledger): what the fsync'd ledger costs is the difference. */
async function timeTransportOnly(
  label: string,
  messages: number,
  kb: number,
  concurrency: number,
  transport: Transport,
) {
  const rendered = renderedOfSize(kb);
  let next = 1;
  const started = performance.now();
  const worker = async () => {
    while (next <= messages) {
      const id = next++;
      await transport.send(
        buildMessage({
          rendered,
          editionId: 'bench',
          recipient: { id, email: `reader${id}@bench.example`, name: null },
          settings: SETTINGS,
          unsubscribeUrl: `https://bench.example/unsubscribe?t=${id}`,
          date: '2026-11-24T12:00:00.000Z',
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await transport.close();
  return { label, messages, seconds, perSecond: messages / seconds };
}

/** Sends `messages` messages of about `messageKb` KB several ways and reports messages per second. */
export async function benchSend(
  options: { messages?: number; messageKb?: number } = {},
): Promise<SendBenchResult> {
  const messages = options.messages ?? 500;
  const kb = options.messageKb ?? 60;
  const sink = await startSink();
  const url = `smtp://127.0.0.1:${sink.port}`;
  try {
    const runs: SendBenchRun[] = [];
    runs.push(
      await timeOneRun('SMTP, a connection per message, 5 at a time', messages, kb, 5, () =>
        createSmtpTransport({ url, maxConnections: 5, pool: false }),
      ),
    );
    for (const pool of [1, 5, 10])
      runs.push(
        await timeOneRun(`SMTP, pool of ${pool}`, messages, kb, pool, () =>
          createSmtpTransport({ url, maxConnections: pool }),
        ),
      );
    runs.push(
      await timeTransportOnly(
        'SMTP, pool of 5, transport only (no ledger)',
        messages,
        kb,
        5,
        createSmtpTransport({ url, maxConnections: 5 }),
      ),
    );
    const outbox = mkdtempSync(join(tmpdir(), 'broadsheet-bench-outbox-'));
    const { writeFileAtomic } = await import('../../src/pipeline/output.ts');
    try {
      runs.push(
        await timeOneRun('outbox (.eml files, atomic writes)', messages, kb, 5, () =>
          createOutboxTransport({
            folder: outbox,
            write: (name, bytes) => writeFileAtomic(join(outbox, name), bytes),
          }),
        ),
      );
    } finally {
      rmSync(outbox, { recursive: true, force: true });
    }
    return { messages, messageKb: kb, runs };
  } finally {
    await sink.close();
  }
}

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchSend({
    messages: Number(flag('--messages') ?? 500),
    messageKb: Number(flag('--kb') ?? 60),
  });
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    process.stdout.write(
      `send: ${result.messages} messages of ~${result.messageKb} KB to a loopback smtp-server\n`,
    );
    for (const run of result.runs)
      process.stdout.write(
        `  ${run.label.padEnd(48)} ${run.perSecond.toFixed(0).padStart(6)} msg/s  (${run.seconds.toFixed(2)} s)\n`,
      );
  }
}
