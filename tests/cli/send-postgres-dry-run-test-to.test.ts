import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyUnsubscribeToken } from '../../src/deliver/index.ts';
import { postgresStore } from '../../src/state/store/index.ts';
import { startSmtpServer } from '../deliver/helpers.ts';
import { freshDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { FLEET_EDITION, fleetFolders, seedFleetState } from '../helpers/send-fleet.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const SECRET = 'send-postgres-dry-run-secret';
const NOW = '2026-11-24T12:00:00.000Z';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A database with the edition and 3 readers, reader1 already sent; a working folder; an SMTP server. */
async function sharedEdition() {
  const url = await freshDatabase('send-dry-run');
  const store = await postgresStore(url);
  cleanups.push(() => store.close());
  await seedFleetState(store, 3);
  const [first] = await store.claimBatch(FLEET_EDITION, { limit: 1, now: NOW, messageIdFor: String });
  await store.markSent(FLEET_EDITION, first?.id ?? 0, NOW);
  const server = await startSmtpServer();
  cleanups.push(server.close);
  const { dirs, cleanup } = fleetFolders(1, { maxConnections: 1, ratePerSecond: 100 });
  cleanups.push(cleanup);
  const dir = dirs[0] as string;
  // Spawned, not spawnSync: the SMTP server lives in this process and must answer meanwhile.
  const send = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [BIN, '-c', join(dir, 'broadsheet.config.json'), 'send', ...args],
        {
          cwd: dir,
          env: {
            ...process.env,
            BROADSHEET_DATABASE_URL: url,
            SMTP_URL: `smtp://127.0.0.1:${server.port}`,
            ...env,
          },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  return { store, server, send };
}

describe.skipIf(!postgresAvailable())('send --dry-run and --test-to with BROADSHEET_DATABASE_URL', () => {
  it('--dry-run counts from the shared ledger and sends, writes and creates nothing', async () => {
    const { store, server, send } = await sharedEdition();
    const before = await store.countDeliveries(FLEET_EDITION);
    const run = await send(['--dry-run'], { BROADSHEET_UNSUBSCRIBE_SECRET: '' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`dry run: edition ${FLEET_EDITION}`);
    expect(run.stdout).toContain('would send: 2\n  already sent: 1\n');
    expect(await store.countDeliveries(FLEET_EDITION)).toEqual(before);
    expect(await store.readSecret()).toBeNull();
    expect(server.messages).toHaveLength(0);
  });

  it('--test-to mails one copy with that subscriber’s own working link, and leaves the ledger alone', async () => {
    const { store, server, send } = await sharedEdition();
    const before = await store.countDeliveries(FLEET_EDITION);
    const run = await send(['--test-to', 'Reader2@Example.org'], { BROADSHEET_UNSUBSCRIBE_SECRET: SECRET });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`sent a test copy of edition ${FLEET_EDITION} to Reader2@example.org`);
    await server.idle();
    expect(server.messages.map((m) => m.to)).toEqual(['reader2@example.org']);
    const mail = await simpleParser(server.messages[0]?.raw as Buffer);
    const header = String(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line);
    const token = new URL(/<(https:[^>]+)>/.exec(header)?.[1] as string).searchParams.get('t') as string;
    const reader2 = await store.findSubscriberByEmail('reader2@example.org');
    expect(verifyUnsubscribeToken(SECRET, token, reader2?.id ?? -1, 'reader2@example.org')).toBe(true);
    expect(await store.countDeliveries(FLEET_EDITION)).toEqual(before);

    expect(
      (await send(['--test-to', 'not an address'], { BROADSHEET_UNSUBSCRIBE_SECRET: SECRET })).code,
    ).toBe(2);
  });
});
