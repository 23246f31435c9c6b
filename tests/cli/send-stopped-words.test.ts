import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadsheet, epochOf, initPublication } from './publication.ts';

const NOW = epochOf('2026-11-24T20:00:00Z');
const SECRET = { BROADSHEET_UNSUBSCRIBE_SECRET: 'a-test-secret-of-some-length' };

let dir: string;
let server: SMTPServer;
let port: number;

beforeAll(async () => {
  // A real SMTP server that wants a login and refuses every password (535).
  server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(new Error('Authentication credentials invalid')),
  });
  port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port)),
  );
  dir = await initPublication(NOW);
  await broadsheet(['build'], dir, NOW);
  await broadsheet(['subscribers', 'add', 'ann@example.com'], dir, NOW);
  await broadsheet(['subscribers', 'add', 'bob@example.com'], dir, NOW);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('send that stops before anyone got the edition', () => {
  it('a refused password (535): pending, not failed, and check the credentials in SMTP_URL', async () => {
    const result = await broadsheet(['send'], dir, NOW, {
      SMTP_URL: `smtp://editor:wrong@127.0.0.1:${port}`,
      ...SECRET,
    });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('535');
    expect(result.stderr).toContain('check the user name and password in SMTP_URL');
    expect(result.stderr).toContain('failed 0,');
    expect(result.stderr).toContain('pending 2');
    expect(result.stderr).toContain('2 messages pending, not sent and not failed');
    expect(result.stderr).not.toMatch(/^ {2}failed:/m);
    // The ledger agrees: a dry run would send both.
    const dry = await broadsheet(['send', '--dry-run'], dir, NOW, SECRET);
    expect(dry.stdout).toContain('would send: 2');
    expect(dry.stdout).toContain('failed earlier (not retried): 0');
  });

  it('a wrong port: pending, and check the host and port', async () => {
    const result = await broadsheet(['send'], dir, NOW, { SMTP_URL: 'smtp://127.0.0.1:9', ...SECRET });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('mail server unreachable');
    expect(result.stderr).toContain('Check the host and port in SMTP_URL');
    expect(result.stderr).toContain('2 messages pending, not sent and not failed');
    expect(result.stderr).toContain('failed 0,');
  });
});
