import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe } from '../../src/cli/commands/serve.ts';
import { type Context, createContext } from '../../src/cli/context.ts';
import type { PreviewServer } from '../../src/cli/serve/server.ts';
import { unsubscribeToken } from '../../src/deliver/index.ts';
import { addSubscriber, getSubscriber } from '../../src/state/subscribers.ts';
import { tempDir } from '../helpers/temp.ts';

const SECRET = 'serve-test-secret';
let ctx: Context;
let server: PreviewServer;

beforeAll(async () => {
  const dir = tempDir('broadsheet-serve-unsub-');
  mkdirSync(join(dir, 'articles'));
  const config = join(dir, 'broadsheet.config.json');
  writeFileSync(config, JSON.stringify({ site: { title: 'The Harbor City Ledger' } }));
  const created = createContext({ config, quiet: true });
  ctx = { ...created, env: { ...created.env, unsubscribeSecret: SECRET } };
  const started = await startServe(ctx, { config, quiet: true }, { port: 0, watch: false });
  if (!started) throw new Error('serve did not start');
  server = started;
});

afterAll(async () => {
  await server?.close();
});

function subscribe(email: string): { id: number; link: string } {
  const db = ctx.openState();
  try {
    const result = addSubscriber(db, { email }, '2026-11-24T12:00:00Z');
    if (!result.added) throw new Error('already there');
    const id = result.subscriber.id;
    return {
      id,
      link: `${server.url}unsubscribe?t=${encodeURIComponent(unsubscribeToken(SECRET, id, email))}`,
    };
  } finally {
    db.close();
  }
}

function statusOf(id: number): string | undefined {
  const db = ctx.openState();
  try {
    return getSubscriber(db, id)?.status;
  } finally {
    db.close();
  }
}

describe('broadsheet serve: the unsubscribe endpoint from delivery', () => {
  it('shows a confirmation on GET without unsubscribing (link scanners GET every link)', async () => {
    const { id, link } = subscribe('reader-get@example.com');
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect(statusOf(id)).toBe('active');
  });

  it('unsubscribes on an RFC 8058 one-click POST', async () => {
    const { id, link } = subscribe('reader-post@example.com');
    const answer = await fetch(link, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(answer.status).toBe(200);
    expect(statusOf(id)).toBe('unsubscribed');
  });

  it('refuses a forged token', async () => {
    const { id } = subscribe('reader-forged@example.com');
    const forged = await fetch(`${server.url}unsubscribe?t=${id}.AAAA`, { method: 'POST' });
    expect(forged.status).toBe(400);
    expect(statusOf(id)).toBe('active');
  });
});
