import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { simpleParser } from 'mailparser';
import {
  createMailer,
  createPreferencesHandler,
  createSignupHandler,
  readConfirmationTemplate,
  renderConfirmationMail,
} from '../../src/audience/index.ts';
import { openState, type StateDb } from '../../src/state/db.ts';
import { type DeliveryStore, sqliteStore } from '../../src/state/store/index.ts';
import { tempDir } from '../helpers/temp.ts';

export const SECRET = 'audience-test-secret';
export const TOPICS = [
  { slug: 'transit', name: 'Transit' },
  { slug: 'climate', name: 'Climate' },
];
export const START = '2026-11-24T12:00:00.000Z';

/** A fixed clock the test moves by hand. */
export interface Clock {
  now(): string;
  advance(ms: number): void;
}

export function fixedClock(start = START): Clock {
  let at = Date.parse(start);
  return { now: () => new Date(at).toISOString(), advance: (ms) => (at += ms) };
}

export interface AudienceServer {
  url: string;
  db: StateDb;
  clock: Clock;
  dir: string;
  /** The confirmation mails written so far (the outbox), parsed. */
  mails(): Promise<{ to: string; subject: string; text: string; html: string }[]>;
  /** Resolves once every confirmation mail started has been written. */
  idle(): Promise<void>;
  /** The client address the next requests come from (the rate limit's key). */
  setClient(address: string): void;
  close(): Promise<void>;
}

/**
 * Both audience handlers in a real node:http server on a loopback port, over a real SQLite file,
 * with confirmation mails written by the real outbox mailer and a clock the test moves.
 */
export async function startAudienceServer(
  limits: Partial<{
    pendingDays: number;
    mailIntervalMinutes: number;
    perClientPerHour: number;
    perAddressPerDay: number;
  }> = {},
  /** The store the handlers use (default: a SQLite file, `db`). */
  options: { store?: DeliveryStore } = {},
): Promise<AudienceServer> {
  const dir = tempDir('broadsheet-audience-');
  const db = openState(join(dir, 'state.db'));
  const store = options.store ?? sqliteStore(db);
  const clock = fixedClock();
  let client = '192.0.2.1';
  const outbox = join(dir, 'outbox', 'signups');
  const mailer = createMailer(
    {
      kind: 'outbox',
      folder: outbox,
      write: (path, bytes) => {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, bytes);
      },
    },
    null,
  );
  const template = readConfirmationTemplate(join(dir, 'templates'));
  const signup = createSignupHandler({
    store,
    secret: SECRET,
    path: '/subscribe',
    endpoint: new URL('https://ledger.example/subscribe'),
    siteTitle: 'The Harbor City Ledger',
    topics: TOPICS,
    limits: { pendingDays: 7, mailIntervalMinutes: 60, perClientPerHour: 10, perAddressPerDay: 5, ...limits },
    renderMail: (email, confirmUrl) =>
      renderConfirmationMail({
        template,
        siteTitle: 'The Harbor City Ledger',
        language: 'en',
        email,
        confirmUrl,
        pendingDays: limits.pendingDays ?? 7,
      }),
    sendMail: (to, mail, id) =>
      mailer.send({
        from: { name: 'The Harbor City Ledger', address: 'newsletter@ledger.example' },
        to,
        ...mail,
        date: clock.now(),
        messageId: `<signup-${id}-${Date.parse(clock.now())}@ledger.example>`,
      }),
    now: clock.now,
    clientAddress: () => client,
  });
  const preferences = createPreferencesHandler({
    store,
    secret: SECRET,
    path: '/preferences',
    siteTitle: 'The Harbor City Ledger',
    topics: TOPICS,
    now: clock.now,
  });
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (await signup(req, res)) return;
      if (await preferences(req, res)) return;
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    clock,
    dir,
    mails: async () => {
      const files = (() => {
        try {
          return readdirSync(outbox).sort();
        } catch {
          return [];
        }
      })();
      return Promise.all(
        files.map(async (name) => {
          const parsed = await simpleParser(readFileSync(join(outbox, name)));
          return {
            to: parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: parsed.html || '',
          };
        }),
      );
    },
    idle: () => signup.idle(),
    setClient: (address) => {
      client = address;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      mailer.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Posts a form (urlencoded) and returns status and body. */
export async function postForm(
  url: string,
  fields: [string, string][],
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, body: await response.text() };
}

/** The confirmation link in a mail's text part. */
export function linkIn(text: string): string {
  const found = /https:\/\/ledger\.example\/subscribe\?t=[\w.%-]+/.exec(text);
  if (!found) throw new Error(`no confirmation link in:\n${text}`);
  return found[0];
}
