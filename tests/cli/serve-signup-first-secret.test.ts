import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/cli/serve/server.ts';
import { readLocalSecret } from '../../src/state/subscribers.ts';
import { servePublication } from './serve-publication.ts';

// A new publication turns the signup form on and runs `serve` before any `send`: there is no
// signing secret yet. Mail going to the outbox, the first signup creates the local secret a
// later outbox send uses; with SMTP_URL set, `send` signs with the environment's secret only,
// so serve refuses rather than invent a second one.

let server: PreviewServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serveNewPublication(env: { smtpUrl: string | null }) {
  const started = await servePublication(
    'signup-first-secret',
    { signup: { form: true } },
    { unsubscribeSecret: null, smtpUrl: env.smtpUrl },
  );
  server = started.server;
  const response = await fetch(new URL('subscribe', started.server.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'reader@example.org', website: '' }).toString(),
  });
  return { dir: started.dir, ctx: started.ctx, response };
}

describe('the first signup on a publication with no secret yet', () => {
  it('is taken when mail goes to the outbox, and leaves the local secret for send', async () => {
    const { dir, ctx, response } = await serveNewPublication({ smtpUrl: null });
    expect(response.status).toBe(200);
    const db = ctx.openState();
    try {
      expect(readLocalSecret(db)).toMatch(/.{32,}/);
    } finally {
      db.close();
    }
    // The confirmation mail is written after the answer: wait for the file, not for a time.
    const folder = join(dir, 'outbox', 'signups');
    await expect
      .poll(() => (existsSync(folder) ? readdirSync(folder).length : 0), { timeout: 60_000 })
      .toBe(1);
  });

  it('is refused with a 503 that names the variable when SMTP_URL is set', async () => {
    const { ctx, response } = await serveNewPublication({ smtpUrl: 'smtp://127.0.0.1:9' });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('BROADSHEET_UNSUBSCRIBE_SECRET');
    const db = ctx.openState();
    try {
      expect(readLocalSecret(db)).toBeNull();
    } finally {
      db.close();
    }
  });
});
