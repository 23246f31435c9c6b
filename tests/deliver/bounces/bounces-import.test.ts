import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresStore, sqliteStore } from '../../../src/state/store/index.ts';
import type { Subscriber } from '../../../src/types.ts';
import { freshDatabase, postgresAvailable } from '../../helpers/postgres.ts';
import { harborConfig, sampleEdition, storedEdition } from '../edition.ts';
import { NOW, startSmtpServer, tempState } from '../helpers.ts';

const BIN = fileURLToPath(new URL('../../../src/cli/bin.js', import.meta.url));
const FIXTURES = new URL('../fixtures/sisimai/', import.meta.url);
const SECRET = 'bounces-import-test-secret';
const BASE_ENV = { SOURCE_DATE_EPOCH: '1795521600' }; // 2026-11-24T12:00:00Z: a fixed clock

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'latin1');
}

/** A real report, re-addressed to the VERP address our message went out with. */
function bounceTo(name: string, verp: string): string {
  return fixture(name).replace(/^To: .*$/m, `To: ${verp}`);
}

/** A real ARF report whose returned original carries our envelope sender, as delivered mail does. */
function complaintAbout(verp: string): string {
  return fixture('bsd-arf-01.eml').replace(/^Return-Path: .*$/gm, `Return-Path: <${verp}>`);
}

/** mboxrd: a From_ line before each message, ">From " quoting inside, a blank line after. */
function mbox(messages: string[]): string {
  return messages
    .map(
      (m) =>
        `From MAILER-DAEMON Tue Nov 24 12:00:00 2026\n${m.replace(/\r\n?/g, '\n').replace(/^(>*From )/gm, '>$1')}\n`,
    )
    .join('\n');
}

/** The state the commands share: the SQLite file, or PostgreSQL through BROADSHEET_DATABASE_URL. */
const BACKENDS: { name: 'sqlite' | 'postgres' }[] = [
  { name: 'sqlite' },
  ...(postgresAvailable() ? [{ name: 'postgres' as const }] : []),
];

describe.each(BACKENDS)(
  'bounces import on $name: from a sent edition to the list, through real reports',
  ({ name }) => {
    it('bounces hard and N-in-a-row soft, unsubscribes complaints, ignores forged tokens and repeats', async () => {
      const state = tempState();
      cleanups.push(state.cleanup);
      const url = name === 'postgres' ? await freshDatabase('bounces-import') : null;
      const store = url ? await postgresStore(url) : sqliteStore(state.db);
      cleanups.push(() => store.close());
      const ENV = { ...BASE_ENV, BROADSHEET_DATABASE_URL: url ?? '' };
      const envelopeFrom = new Map<string, string>();
      const server = await startSmtpServer({
        onRcpt(address, session) {
          envelopeFrom.set(address, session.envelope.mailFrom ? session.envelope.mailFrom.address : '');
          return null;
        },
      });
      cleanups.push(server.close);
      writeFileSync(
        join(state.dir, 'broadsheet.config.json'),
        JSON.stringify({
          site: { title: 'The Harbor City Ledger', baseUrl: 'https://ledger.example/' },
          paths: { state: 'state.db' },
          delivery: {
            ratePerSecond: 1000,
            from: { name: 'The Harbor City Ledger', email: 'newsletter@ledger.example' },
            returnPath: 'bounces@ledger.example',
            softBounceLimit: 2,
          },
        }),
      );
      for (const id of ['2026-11-24', '2026-11-25'])
        await store.saveEdition(storedEdition(sampleEdition(harborConfig(), id)), 3);
      const added: Subscriber[] = [];
      for (let i = 1; i <= 4; i++) {
        const result = await store.addSubscriber(
          { email: `reader${i}@example.org`, name: `Reader ${i}` },
          NOW,
        );
        if (result.added) added.push(result.subscriber);
      }
      const [ann, bob, cat, dan] = added;
      if (!ann || !bob || !cat || !dan) throw new Error('no subscribers');

      const send = (edition: string) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, [BIN, '-q', 'send', '--edition', edition], {
            cwd: state.dir,
            env: {
              ...process.env,
              ...ENV,
              SMTP_URL: `smtp://127.0.0.1:${server.port}`,
              BROADSHEET_UNSUBSCRIBE_SECRET: SECRET,
            },
            stdio: 'inherit',
          });
          child.on('exit', resolve);
        });
      const importMbox = (messages: string[]) => {
        const file = join(state.dir, `bounces-${Math.random().toString(36).slice(2)}.mbox`);
        writeFileSync(file, mbox(messages), 'latin1');
        const result = spawnSync(process.execPath, [BIN, 'bounces', 'import', file], {
          cwd: state.dir,
          env: { ...process.env, ...ENV, BROADSHEET_UNSUBSCRIBE_SECRET: SECRET },
          encoding: 'utf8',
        });
        return { code: result.status, out: result.stdout + result.stderr };
      };
      const status = async (email: string) => (await store.findSubscriberByEmail(email))?.status;

      expect(await send('2026-11-24')).toBe(0);
      // Each message left with its own envelope sender: bounces+<token>@ the configured domain.
      const verp = (email: string) => envelopeFrom.get(email) ?? '';
      for (const s of [ann, bob, cat, dan])
        expect(verp(s.email)).toMatch(/^bounces\+bs1-[0-9a-z]+-[0-9a-f]{8}-[0-9a-f]{20}@ledger\.example$/);
      expect(new Set([ann, bob, cat, dan].map((s) => verp(s.email))).size).toBe(4);
      const annMail = await simpleParser(
        server.messages.find((m) => m.to === ann.email)?.raw ?? Buffer.alloc(0),
      );
      expect(verp(ann.email)).toContain(String(annMail.headers.get('x-broadsheet-trace')));

      // Dan's address with a token signed for Ann's id would need the secret: swap the id, keep the MAC.
      const forged = verp(ann.email).replace(/bs1-[0-9a-z]+-/, `bs1-${dan.id.toString(36)}-`);
      const first = importMbox([
        bounceTo('bsd-lhost-postfix-04.eml', verp(ann.email)), // hard: user unknown
        bounceTo('bsd-lhost-postfix-45.eml', verp(bob.email)), // soft: over quota
        complaintAbout(verp(cat.email)), // ARF abuse report
        bounceTo('bsd-lhost-postfix-04.eml', forged), // forged: nobody touched
        bounceTo('bsd-rfc3834-01.eml', verp(dan.email)), // an out-of-office reply
      ]);
      expect(first.code).toBe(0);
      expect(first.out).toContain('read 5 messages: 2 hard bounces, 1 soft, 1 complaint, 1 not a bounce');
      expect(first.out).toContain('bounced 1, unsubscribed 1, soft counted 1, untraced 1');
      expect(await Promise.all([ann, bob, cat, dan].map((s) => status(s.email)))).toEqual([
        'bounced',
        'active',
        'unsubscribed',
        'active',
      ]);

      // The same mailbox read again changes nothing and counts nothing twice.
      const again = importMbox([bounceTo('bsd-lhost-postfix-45.eml', verp(bob.email))]);
      expect(again.out).toContain('already imported 1');
      expect(await status(bob.email)).toBe('active');

      // A second edition: only Bob and Dan are mailed; Bob's mailbox is still full: two in a row.
      envelopeFrom.clear();
      expect(await send('2026-11-25')).toBe(0);
      expect([...envelopeFrom.keys()].sort()).toEqual([bob.email, dan.email].sort());
      const second = importMbox([bounceTo('bsd-lhost-postfix-45.eml', verp(bob.email))]);
      expect(second.out).toContain('bounced 1');
      expect(await status(bob.email)).toBe('bounced');

      // The report for the first edition: 4 sent, 1 hard bounce (25%: over the 5% line), 1 complaint.
      const report = spawnSync(process.execPath, [BIN, 'report', '2026-11-24', '--json'], {
        cwd: state.dir,
        env: { ...process.env, ...ENV },
        encoding: 'utf8',
      });
      const parsed = JSON.parse(report.stdout) as {
        sent: number;
        hard: number;
        soft: number;
        complaints: number;
      };
      expect(parsed).toMatchObject({ sent: 4, hard: 1, soft: 1, complaints: 1 });
      expect(report.stderr).toContain('hard bounce rate 25.00% is above 5.00%');
      expect(report.stderr).toContain('complaint rate 25.00% is above 0.30%');

      // Suppressed addresses cannot come back by `add` or `import`; --reactivate lifts a bounce.
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, [BIN, ...args], {
          cwd: state.dir,
          env: { ...process.env, ...ENV },
          encoding: 'utf8',
        });
      expect(cli('subscribers', 'add', ann.email).status).toBe(1);
      writeFileSync(join(state.dir, 'again.csv'), `email\n${cat.email}\nnew@example.org\n`);
      const imported = cli('subscribers', 'import', 'again.csv');
      expect(imported.stderr).toContain(`${cat.email} is suppressed (complained)`);
      expect(await status(cat.email)).toBe('unsubscribed');
      expect(cli('subscribers', 'add', ann.email, '--reactivate').status).toBe(0);
      expect(await status(ann.email)).toBe('active');
      expect(await store.suppressionOf(ann.email)).toBeNull();
      expect(await store.suppressionOf(cat.email)).toBe('complained');
    }, 240_000);
  },
);
