import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createUnsubscribeHandler } from '../../src/deliver/index.ts';
import { findSubscriberByEmail } from '../../src/state/subscribers.ts';
import { harborConfig, sampleEdition, storeEdition } from './edition.ts';
import { addSubscribers, NOW, startSmtpServer, tempState } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const SECRET = 'unsubscribe-http-test-secret';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('unsubscribe, from a delivered message to the HTTP endpoint', () => {
  it('shows a confirmation on GET, unsubscribes on the RFC 8058 one-click POST, and refuses forged tokens', async () => {
    const state = tempState();
    cleanups.push(state.cleanup);
    const handle = createUnsubscribeHandler({
      db: state.db,
      secret: SECRET,
      path: '/unsubscribe',
      siteTitle: 'The Harbor City Ledger',
      now: () => NOW,
    });
    const http = createServer(async (req, res) => {
      if (await handle(req, res)) return;
      res.statusCode = 404;
      res.end('not found');
    });
    const httpPort = await new Promise<number>((resolve) =>
      http.listen(0, '127.0.0.1', () => resolve((http.address() as AddressInfo).port)),
    );
    cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const smtp = await startSmtpServer();
    cleanups.push(smtp.close);

    writeFileSync(
      join(state.dir, 'broadsheet.config.json'),
      JSON.stringify({
        site: { title: 'The Harbor City Ledger', baseUrl: `http://127.0.0.1:${httpPort}/` },
        paths: { state: 'state.db' },
        delivery: { ratePerSecond: 1000, unsubscribeMailto: 'unsubscribe@ledger.example' },
      }),
    );
    storeEdition(state.db, sampleEdition(harborConfig()));
    const [ann, bob] = addSubscribers(state.db, 2);
    if (!ann || !bob) throw new Error('no subscribers');

    const exit = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [BIN, '-q', 'send'], {
        cwd: state.dir,
        env: {
          ...process.env,
          SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
          BROADSHEET_UNSUBSCRIBE_SECRET: SECRET,
        },
        stdio: 'inherit',
      });
      child.on('exit', resolve);
    });
    expect(exit).toBe(0);

    const raw = smtp.messages.find((m) => m.to === ann.email)?.raw;
    if (!raw) throw new Error('no message for ann');
    const mail = await simpleParser(raw);
    const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line ?? '';
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const uris = [...header('list-unsubscribe').matchAll(/<([^>]+)>/g)].map((m) => m[1] ?? '');
    expect(uris[1]).toBe('mailto:unsubscribe@ledger.example?subject=unsubscribe');
    const url = uris[0] ?? '';
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${httpPort}/unsubscribe\\?t=`));
    // The same link is in the text and HTML bodies, where readers click it.
    expect(mail.text).toContain(url);
    expect(mail.html).toContain(url.replaceAll('&', '&amp;'));

    // A link scanner's GET must not unsubscribe: it only gets the confirmation page.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post"');
    expect(html).toContain(ann.email);
    expect(findSubscriberByEmail(state.db, ann.email)?.status).toBe('active');

    // The mail client's one-click POST (RFC 8058), twice: idempotent.
    for (let i = 0; i < 2; i++) {
      const post = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(post.status).toBe(200);
    }
    expect(findSubscriberByEmail(state.db, ann.email)?.status).toBe('unsubscribed');

    // Ann's signature with Bob's id: refused, Bob stays subscribed.
    const token = new URL(url).searchParams.get('t') ?? '';
    const forged = new URL(url);
    forged.searchParams.set('t', token.replace(/^\d+/, String(bob.id)));
    const refused = await fetch(forged, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(refused.status).toBe(400);
    expect(findSubscriberByEmail(state.db, bob.email)?.status).toBe('active');

    // Not the handler's path: it lets the host server answer.
    expect((await fetch(`http://127.0.0.1:${httpPort}/elsewhere`)).status).toBe(404);
  });
});
