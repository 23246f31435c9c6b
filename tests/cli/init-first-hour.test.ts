import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../deliver/helpers.ts';
import { tempDir } from '../helpers/temp.ts';
import { editFile, epochOf, initPublication, broadsheet as run } from './publication.ts';

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
    const dir = join(tempDir('bs-first-hour-'), 'ledger');
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

/** A Markdown story dated `hoursAgo` before `now`, as a publisher writes one. */
function story(title: string, now: number, hoursAgo: number, tags: string): string {
  const date = new Date(now - hoursAgo * 3_600_000).toISOString();
  return `---\ntitle: ${title}\nauthor: Dana Ortiz\ndate: ${date}\ntags: ${tags}\n---\n\n${title}, the city said on ${date.slice(0, 10)}.\n\nMore to follow.\n`;
}

// The whole first hour against a real SMTP server: init, the publisher's own articles, build,
// a subscriber, send. Once on the machine's own clock (whatever today is), once on a fixed day.
describe('the first hour, sent over SMTP', () => {
  let server: TestSmtpServer;
  beforeAll(async () => {
    server = await startSmtpServer();
  });
  afterAll(() => server.close());

  it.each([
    ['today', null],
    ['a fixed day (SOURCE_DATE_EPOCH)', epochOf('2027-03-15T06:00:00Z')],
  ])('on %s, a newsletter with every new story arrives', async (_day, epoch) => {
    // The clock the CLI will read: the fixed day, or this machine's (faked or not).
    const now = epoch === null ? Date.now() : epoch * 1000;
    const dir = await initPublication(epoch);
    // What "make these yours" asks for before real mail: a public https address.
    editFile(dir, 'broadsheet.config.json', (text) =>
      text.replace('"http://localhost:8080/"', '"https://ledger.example/"'),
    );
    writeFileSync(
      join(dir, 'articles/ferry.md'),
      story('Night Ferry Returns to the East Bank', now, 2, 'transit'),
    );
    writeFileSync(
      join(dir, 'articles/seawall.md'),
      story('Sea Wall Study Goes to Council', now, 30, 'climate'),
    );
    const build = await run(['build'], dir, epoch);
    expect(build.status, build.stderr).toBe(0);
    expect(build.stderr).toMatch(/newsletter: edition \d{4}-\d\d-\d\d: 3 stories/);
    const add = await run(
      ['subscribers', 'add', 'reader@example.com', '--topics', 'transit,climate'],
      dir,
      epoch,
    );
    expect(add.status, add.stderr).toBe(0);
    const before = server.messages.length;
    const send = await run(['send'], dir, epoch, {
      SMTP_URL: `smtp://127.0.0.1:${server.port}`,
      BROADSHEET_UNSUBSCRIBE_SECRET: 'first-hour-test-secret',
    });
    expect(send.status, send.stderr).toBe(0);
    expect(send.stderr).toContain('sent 1,');
    const arrived = server.messages.slice(before);
    expect(arrived.map((m) => m.to)).toEqual(['reader@example.com']);
    const mail = await simpleParser(arrived[0]?.raw ?? Buffer.alloc(0));
    expect(mail.text).toContain('Night Ferry Returns to the East Bank');
    expect(mail.text).toContain('Sea Wall Study Goes to Council');
    const headers = mail.headerLines.map((h) => h.line.replace(/\r?\n[ \t]+/g, ' ')).join('\n');
    expect(headers).toMatch(/^List-ID: .*<the-harbor-city-ledger\.newsletter\.invalid>/im);
    expect(headers).toMatch(/^List-Unsubscribe: <https:\/\/ledger\.example\//im);
    // Sent once: a second send finds nothing to do.
    const again = await run(['send'], dir, epoch, {
      SMTP_URL: `smtp://127.0.0.1:${server.port}`,
      BROADSHEET_UNSUBSCRIBE_SECRET: 'first-hour-test-secret',
    });
    expect(again.stderr).toContain('already sent 1');
    expect(server.messages.length).toBe(before + 1);
  });
});
