import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import {
  buildMessage,
  type MessageSettings,
  type SendEditionOptions,
  type Transport,
} from '../../src/deliver/index.ts';
import { type RenderedEmail, UNSUBSCRIBE_URL_PLACEHOLDER } from '../../src/newsletter/index.ts';
import { openState, type StateDb } from '../../src/state/db.ts';
import { addSubscriber } from '../../src/state/subscribers.ts';
import type { Subscriber } from '../../src/types.ts';

export const NOW = '2026-11-24T12:00:00.000Z';

/** A rendered edition as the newsletter stage hands it over: placeholder and all. */
export function sampleRendered(extra = ''): RenderedEmail {
  return {
    subject: 'The Harbor City Ledger: Council approves bike lanes',
    preheader: 'Three stories today',
    html: `<!doctype html><html><body><p>Council approves bike lanes.</p>${extra}<p><a href="${UNSUBSCRIBE_URL_PLACEHOLDER}">Unsubscribe</a></p></body></html>`,
    text: `Council approves bike lanes.\n${extra}\nUnsubscribe: ${UNSUBSCRIBE_URL_PLACEHOLDER}\n`,
  };
}

export const SETTINGS: MessageSettings = {
  from: { name: 'The Harbor City Ledger', address: 'newsletter@ledger.example' },
  replyTo: 'editors@ledger.example',
  listId: 'newsletter.ledger.example',
  listName: 'The Harbor City Ledger',
  unsubscribeMailto: 'unsubscribe@ledger.example',
};

/**
 * `sendEdition` options for edition 2026-11-24 to `subscribers` over `transport`, each message
 * built from `sampleRendered()`, one at a time, no throttle and no real waiting between retries.
 */
export function sendOptions(
  db: StateDb,
  transport: Transport,
  subscribers: Subscriber[],
  extra: Partial<SendEditionOptions> = {},
): SendEditionOptions {
  const editionId = extra.editionId ?? '2026-11-24';
  return {
    db,
    editionId,
    listId: SETTINGS.listId,
    subscribers,
    compose: (s) =>
      buildMessage({
        rendered: sampleRendered(),
        editionId,
        recipient: s,
        settings: SETTINGS,
        unsubscribeUrl: `https://ledger.example/unsubscribe?t=${s.id}`,
        date: NOW,
      }),
    transport,
    concurrency: 1,
    ratePerSecond: Number.POSITIVE_INFINITY,
    retries: 3,
    backoffMs: 1,
    bounceThreshold: 1,
    resendInDoubt: false,
    now: () => NOW,
    clock: () => 0,
    sleep: async () => {},
    ...extra,
  };
}

export interface TempState {
  dir: string;
  path: string;
  db: StateDb;
  cleanup(): void;
}

export function tempState(): TempState {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-deliver-'));
  const path = join(dir, 'state.db');
  const db = openState(path);
  return {
    dir,
    path,
    db,
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function addSubscribers(db: StateDb, count: number, topics: string[] = []): Subscriber[] {
  const list: Subscriber[] = [];
  for (let i = 1; i <= count; i++) {
    const result = addSubscriber(db, { email: `reader${i}@example.org`, name: `Reader ${i}`, topics }, NOW);
    if (result.added) list.push(result.subscriber);
  }
  return list;
}

export interface TestSmtpServer {
  port: number;
  /** Accepted messages per recipient address (lowercase). */
  received: Map<string, number>;
  messages: { to: string; raw: Buffer }[];
  /** Resolves once every message taken in full has been counted (a slow server accepts later). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface SmtpBehaviour {
  /** Return an SMTP error (with responseCode) to refuse this recipient, or null to accept. */
  onRcpt?(address: string, session: SMTPServerSession): (Error & { responseCode?: number }) | null;
  /** Called with the whole message; return 'accept' (default), an error to refuse it, or 'drop' to cut the connection without replying. */
  onMessage?(to: string, raw: Buffer): 'accept' | 'drop' | (Error & { responseCode?: number });
  /** Delay before accepting each message, ms (a slow server). */
  delayMs?: number;
}

export function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/** A real SMTP server on a loopback port that counts what it accepted, per recipient. */
export async function startSmtpServer(behaviour: SmtpBehaviour = {}): Promise<TestSmtpServer> {
  const received = new Map<string, number>();
  const messages: { to: string; raw: Buffer }[] = [];
  const pending = new Set<Promise<void>>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, session, callback) {
      const refusal = behaviour.onRcpt?.(address.address.toLowerCase(), session) ?? null;
      callback(refusal ?? undefined);
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const to = (session.envelope.rcptTo[0]?.address ?? '').toLowerCase();
        const verdict = behaviour.onMessage?.(to, raw) ?? 'accept';
        if (verdict === 'drop') {
          // Took the whole message, then vanished before answering: the sender cannot know.
          received.set(to, (received.get(to) ?? 0) + 1);
          messages.push({ to, raw });
          socketOf(server, session.id)?.destroy();
          return;
        }
        if (verdict !== 'accept') return callback(verdict);
        const accept = () => {
          received.set(to, (received.get(to) ?? 0) + 1);
          messages.push({ to, raw });
          callback();
        };
        if (!behaviour.delayMs) return accept();
        // The sender may be gone (killed) before this fires; the message still counts as taken.
        const accepted = new Promise<void>((resolve) => setTimeout(resolve, behaviour.delayMs)).then(accept);
        pending.add(accepted);
        void accepted.finally(() => pending.delete(accepted));
      });
    },
  });
  server.on('error', () => {});
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve((server.server.address() as import('node:net').AddressInfo).port),
    );
  });
  return {
    port,
    received,
    messages,
    idle: async () => {
      while (pending.size > 0) await Promise.all(pending);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** smtp-server keeps each session's socket on its (internal) connection object. */
function socketOf(server: SMTPServer, sessionId: string): { destroy(): void } | undefined {
  const connections = (
    server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }
  ).connections;
  for (const connection of connections) if (connection.id === sessionId) return connection._socket;
  return undefined;
}
