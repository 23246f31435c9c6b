import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeliveryStore } from '../../src/state/store/index.ts';
import { harborConfig, sampleEdition, storedEdition } from '../deliver/edition.ts';

/**
 * Several `broadsheet send` processes against one PostgreSQL database, each in a working folder
 * of its own (as on separate machines): what the many-senders kill test and bench drive.
 */
const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
export const FLEET_EDITION = '2026-11-24';

export interface Worker {
  dir: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** The edition and `count` subscribers (reader1@… in id order), imported in batches. */
export async function seedFleetState(store: DeliveryStore, count: number): Promise<void> {
  await store.saveEdition(storedEdition(sampleEdition(harborConfig(), FLEET_EDITION)), 3);
  for (let start = 1; start <= count; start += 5000) {
    const rows = [];
    for (let i = start; i < Math.min(count + 1, start + 5000); i++)
      rows.push({ email: `reader${i}@example.org` });
    await store.importSubscribers(rows, '2026-11-24T12:00:00.000Z');
  }
}

/** `workers` working folders, each with its own config (and so its own SQLite path, unused). */
export function fleetFolders(
  workers: number,
  delivery: { maxConnections: number; ratePerSecond: number },
): {
  dirs: string[];
  cleanup(): void;
} {
  const root = mkdtempSync(join(tmpdir(), 'broadsheet-fleet-'));
  const dirs = Array.from({ length: workers }, (_, i) => {
    const dir = join(root, `worker-${i + 1}`);
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'broadsheet.config.json'),
      JSON.stringify({
        site: { title: 'The Harbor City Ledger', baseUrl: 'https://ledger.example/' },
        feeds: { topics: [{ name: 'Transit', slug: 'transit' }] },
        paths: { state: 'state.db', out: 'out' },
        delivery: { ...delivery, listId: 'newsletter.ledger.example' },
      }),
    );
    return dir;
  });
  return { dirs, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Starts `broadsheet send` in `dir` against the database and SMTP port. */
export function startWorker(
  dir: string,
  databaseUrl: string,
  smtpPort: number,
  extraArgs: string[] = [],
): Worker {
  const child = spawn(
    process.execPath,
    [BIN, '-c', join(dir, 'broadsheet.config.json'), '--quiet', 'send', ...extraArgs],
    {
      cwd: dir,
      env: {
        ...process.env,
        BROADSHEET_DATABASE_URL: databaseUrl,
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        BROADSHEET_UNSUBSCRIBE_SECRET: 'test-secret-for-many-senders',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { dir, child, exited };
}
