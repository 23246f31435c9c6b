import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { openState } from '../../src/state/db.ts';
import { countDeliveries } from '../../src/state/ledger.ts';
import { addSubscriber, readLocalSecret } from '../../src/state/subscribers.ts';
import { harborConfig, sampleEdition, storeEdition } from '../deliver/edition.ts';
import { NOW, tempState } from '../deliver/helpers.ts';
import { tempDir } from '../helpers/temp.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A publication folder with one recorded edition and three subscribers (all topics, climate only, sport only). */
function publication(withEdition = true, baseUrl = 'https://ledger.example/') {
  const state = tempState();
  cleanups.push(state.cleanup);
  writeFileSync(
    join(state.dir, 'broadsheet.config.json'),
    JSON.stringify({
      site: { title: 'The Harbor City Ledger', baseUrl },
      feeds: {
        topics: [
          { name: 'Transit', slug: 'transit', tags: ['transit'] },
          { name: 'Climate', slug: 'climate', tags: ['climate'] },
          { name: 'Sport', slug: 'sport', tags: ['sport'] },
        ],
      },
      paths: { state: 'state.db' },
      delivery: { retries: 1 },
    }),
  );
  if (withEdition) storeEdition(state.db, sampleEdition(harborConfig()));
  addSubscriber(state.db, { email: 'ann@example.org', name: 'Ann Lee' }, NOW);
  addSubscriber(state.db, { email: 'bob@example.org', topics: ['climate'] }, NOW);
  addSubscriber(state.db, { email: 'cat@example.org', topics: ['sport'] }, NOW);
  state.db.close();
  const send = (args: string[] = [], env: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, [BIN, 'send', ...args], {
      cwd: state.dir,
      env: { ...process.env, SMTP_URL: '', BROADSHEET_UNSUBSCRIBE_SECRET: '', ...env },
      encoding: 'utf8',
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const outbox = join(state.dir, 'outbox/2026-11-24');
  const files = () => (existsSync(outbox) ? readdirSync(outbox).sort() : []);
  const ledger = () => {
    const db = openState(state.path);
    try {
      return countDeliveries(db, '2026-11-24');
    } finally {
      db.close();
    }
  };
  return { state, send, outbox, files, ledger };
}

describe('broadsheet send', () => {
  it('without SMTP writes one .eml per recipient to the outbox, per their topics, and a rerun writes nothing', async () => {
    const { send, outbox, files, ledger, state } = publication();
    const first = send();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('created a local unsubscribe secret');
    expect(files()).toEqual(['000001-ann@example.org.eml', '000002-bob@example.org.eml']);
    expect(ledger()).toMatchObject({ sent: 2, skipped: 1 });

    const ann = await simpleParser(readFileSync(join(outbox, '000001-ann@example.org.eml')));
    const bob = await simpleParser(readFileSync(join(outbox, '000002-bob@example.org.eml')));
    expect(ann.text).toContain('Council approves protected bike lanes');
    expect(ann.text).toContain('Flood barriers delayed again');
    // Bob chose climate: the transit story is not in his copy.
    expect(bob.text).toContain('Flood barriers delayed again');
    expect(bob.text).not.toContain('Council approves protected bike lanes');
    expect(ann.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );

    const db = openState(state.path);
    expect(readLocalSecret(db)).toBeTruthy();
    db.close();

    const second = send();
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('created a local');
    expect(files()).toHaveLength(2);
  });

  it('--dry-run sends nothing, writes nothing and changes no state', () => {
    const { send, files, ledger, state } = publication();
    const result = send(['--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('would send: 2');
    expect(result.stdout).toContain('skipped (no stories in their topics): 1');
    expect(files()).toEqual([]);
    expect(ledger()).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 });
    const db = openState(state.path);
    expect(readLocalSecret(db)).toBeNull();
    db.close();
  });

  it('--dry-run in a folder with no state store says so and creates none', () => {
    const dir = tempDir('broadsheet-dry-');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const result = spawnSync(process.execPath, [BIN, 'send', '--dry-run'], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('run `broadsheet build` first');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--test-to sends one copy to one address and leaves the ledger alone', async () => {
    const { send, files, ledger, outbox } = publication();
    const result = send(['--test-to', 'editor@ledger.example']);
    expect(result.code, result.stderr).toBe(0);
    const written = files();
    expect(written).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(outbox, written[0] ?? '')));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('editor@ledger.example');
    expect(ledger()).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 });
  });

  it('refuses to send real mail without BROADSHEET_UNSUBSCRIBE_SECRET', () => {
    const { send, ledger } = publication();
    const result = send([], { SMTP_URL: 'smtp://127.0.0.1:9' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('BROADSHEET_UNSUBSCRIBE_SECRET is not set');
    expect(ledger().sent).toBe(0);
  });

  it('refuses real mail whose one-click unsubscribe URL is not https', () => {
    const { send, ledger } = publication(true, 'http://news.example/');
    const result = send([], { SMTP_URL: 'smtp://127.0.0.1:9', BROADSHEET_UNSUBSCRIBE_SECRET: 's3cret' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not https');
    expect(ledger().sending).toBe(0);
  });

  it('says what to do when there is no edition yet', () => {
    const { send } = publication(false);
    const result = send();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('run `broadsheet build` first');
  });

  it('stops when the mail server is unreachable, marks nobody in doubt, and exits 3', () => {
    const { send, ledger } = publication();
    // Port 9 (discard) on loopback: connection refused, so certainly nothing was handed over.
    const result = send([], { SMTP_URL: 'smtp://127.0.0.1:9', BROADSHEET_UNSUBSCRIBE_SECRET: 's3cret' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('mail server unreachable');
    expect(ledger()).toMatchObject({ sending: 0, sent: 0, pending: 2 });
  });
});
