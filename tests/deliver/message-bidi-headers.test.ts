import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMessage, createSmtpTransport } from '../../src/deliver/index.ts';
import { NOW, SETTINGS, sampleRendered, startSmtpServer, type TestSmtpServer } from './helpers.ts';

const REORDERING = /[\u202A-\u202E\u2066-\u2069]/;
let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// Whatever reaches a header (a subject from a template, a name from an old state file or the
// config) is cleaned at the last step: read back from a real SMTP server, no header holds a bidi
// override or a control character.
describe('header-bound text over SMTP', () => {
  it('Subject, From, To and List-ID names lose bidi overrides and controls', async () => {
    server = await startSmtpServer();
    const rendered = { ...sampleRendered(), subject: 'Ledger: Invoice \u202Egnp.exe\u202C\u0007 due' };
    const message = buildMessage({
      rendered,
      editionId: '2026-11-24',
      recipient: { id: 7, email: 'ann@example.org', name: 'Ann \u2066Lee\u2069\u001b[31m' },
      settings: { ...SETTINGS, from: { ...SETTINGS.from, name: 'The \u202ELedger' }, listName: '\u202DList' },
      unsubscribeUrl: 'https://ledger.example/unsubscribe?t=7',
      date: NOW,
    });
    const transport = createSmtpTransport({ url: `smtp://127.0.0.1:${server.port}`, maxConnections: 1 });
    await transport.send(message);
    await transport.close();
    await server.idle();
    const [raw] = server.messages;
    if (!raw) throw new Error('nothing received');
    const mail = await simpleParser(raw.raw);
    expect(mail.subject).toBe('Ledger: Invoice gnp.exe due');
    expect(mail.from?.value[0]?.name).toBe('The Ledger');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.name : '').toBe('Ann Lee[31m');
    const headers = mail.headerLines.map((h) => h.line).join('\n');
    expect(headers).not.toMatch(REORDERING);
    expect(headers).toContain('"List"');
  });
});
