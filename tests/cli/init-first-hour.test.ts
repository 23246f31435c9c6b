import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = resolve(import.meta.dirname, '../../src/cli/bin.js');

function broadsheet(args: string[], cwd: string, epoch: string) {
  const env = { ...process.env, SOURCE_DATE_EPOCH: epoch, SMTP_URL: '', BROADSHEET_UNSUBSCRIBE_SECRET: '' };
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env });
}

// `init` → `build` → `send` must make a newsletter whatever day it is: the example story is dated
// the day before init runs. Days chosen to be awkward: a leap day, the day after the spring DST
// change, New Year's Day, and the fixtures' own day.
describe('a new publication, from init to a sent newsletter', () => {
  it.each([
    ['2028-02-29T12:00:00Z'],
    ['2027-03-15T06:00:00Z'],
    ['2030-01-01T00:30:00Z'],
    ['2026-11-24T20:00:00Z'],
  ])('on %s: the first build makes an edition and the first send mails it', (iso) => {
    const epoch = String(Date.parse(iso) / 1000);
    const dir = join(mkdtempSync(join(tmpdir(), 'bs-first-hour-')), 'ledger');
    const init = broadsheet(['init', dir, '--title', 'The Harbor City Ledger'], tmpdir(), epoch);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stderr).toContain('delivery.listId');
    const build = broadsheet(['build'], dir, epoch);
    expect(build.status, build.stderr).toBe(0);
    expect(build.stderr).toMatch(/newsletter: edition \d{4}-\d\d-\d\d: 1 story/);
    expect(broadsheet(['subscribers', 'add', 'reader@example.com', '-q'], dir, epoch).status).toBe(0);
    const send = broadsheet(['send'], dir, epoch);
    expect(send.status, send.stderr).toBe(0);
    const [edition] = readdirSync(join(dir, 'outbox'));
    const [message] = readdirSync(join(dir, 'outbox', edition as string));
    const eml = readFileSync(join(dir, 'outbox', edition as string, message as string), 'utf8');
    expect(eml).toContain('Harbor City Opens Its First Floating Park');
    // The publication's own List-Id, not the sample's.
    const headers = (eml.split('\r\n\r\n')[0] ?? '').replace(/\r\n[ \t]+/g, ' ');
    expect(headers).toMatch(/^List-ID: .*<the-harbor-city-ledger\.newsletter\.invalid>/im);
    expect(eml).not.toContain('broadsheet.example');
  });
});
