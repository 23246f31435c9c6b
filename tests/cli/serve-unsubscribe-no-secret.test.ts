import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe } from '../../src/cli/commands/serve.ts';
import { createContext } from '../../src/cli/context.ts';
import type { PreviewServer } from '../../src/cli/serve/server.ts';
import { tempDir } from '../helpers/temp.ts';

let server: PreviewServer;

beforeAll(async () => {
  const dir = tempDir('broadsheet-serve-nosecret-');
  mkdirSync(join(dir, 'articles'));
  const config = join(dir, 'broadsheet.config.json');
  writeFileSync(config, JSON.stringify({ site: { title: 'The Harbor City Ledger' } }));
  const created = createContext({ config, quiet: true });
  // As after a real send: the secret was in send's environment, not in serve's, nor in the state.
  const ctx = { ...created, env: { ...created.env, unsubscribeSecret: null } };
  const started = await startServe(ctx, { config, quiet: true }, { port: 0, watch: false });
  if (!started) throw new Error('serve did not start');
  server = started;
});

afterAll(async () => {
  await server?.close();
});

describe('serve without the signing secret', () => {
  it('answers an unsubscribe link with 503 saying it needs the same secret as send', async () => {
    const response = await fetch(`${server.url}unsubscribe?t=anything`);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).toContain('the same BROADSHEET_UNSUBSCRIBE_SECRET that `broadsheet send` signed them with');
    expect(text).not.toContain('run `broadsheet send` once');
  });
});
