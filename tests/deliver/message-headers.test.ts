import { generateKeyPairSync } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildMessage, createOutboxTransport, type Message, messageIdFor } from '../../src/deliver/index.ts';
import { NOW, SETTINGS, sampleRendered } from './helpers.ts';

function message(overrides: Partial<Parameters<typeof buildMessage>[0]> = {}): Message {
  return buildMessage({
    rendered: sampleRendered(),
    editionId: '2026-11-24',
    recipient: { id: 42, email: 'ann@example.org', name: 'Ann Lee' },
    settings: SETTINGS,
    unsubscribeUrl: 'https://ledger.example/unsubscribe?t=42.abc&x=1',
    date: NOW,
    ...overrides,
  });
}

/** Writes through the outbox transport and returns the file's bytes: exactly what SMTP would carry. */
async function encode(m: Message, dkim?: { domainName: string; keySelector: string; privateKey: string }) {
  const files = new Map<string, Buffer>();
  const transport = createOutboxTransport({
    folder: 'memory',
    write: (name, bytes) => files.set(name, bytes),
    dkim: dkim ?? null,
  });
  await transport.send(m);
  await transport.close();
  const bytes = files.get(m.fileName);
  if (!bytes) throw new Error('nothing written');
  return bytes;
}

describe('a newsletter message', () => {
  it('carries the sender, list and one-click unsubscribe headers a mailbox provider expects', async () => {
    const raw = await encode(message());
    const mail = await simpleParser(raw);
    const line = (key: string) => mail.headerLines.find((h) => h.key === key)?.line;
    expect(mail.from?.value).toEqual([
      { name: 'The Harbor City Ledger', address: 'newsletter@ledger.example' },
    ]);
    expect(mail.replyTo?.value[0]?.address).toBe('editors@ledger.example');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([
      { name: 'Ann Lee', address: 'ann@example.org' },
    ]);
    expect(mail.subject).toBe('The Harbor City Ledger: Council approves bike lanes');
    expect(mail.date?.toISOString()).toBe(NOW);
    expect(mail.messageId).toBe(messageIdFor('2026-11-24', 42, 'newsletter.ledger.example'));
    expect(line('list-id')).toBe('List-ID: "The Harbor City Ledger" <newsletter.ledger.example>');
    expect(line('list-unsubscribe')?.replace(/\r?\n\s+/g, ' ')).toBe(
      'List-Unsubscribe: <https://ledger.example/unsubscribe?t=42.abc&x=1>, <mailto:unsubscribe@ledger.example?subject=unsubscribe>',
    );
    expect(line('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(raw.toString()).toMatch(/Content-Type: multipart\/alternative/);
    // The per-recipient link replaces the placeholder in both parts, escaped for HTML.
    expect(mail.text).toContain('Unsubscribe: https://ledger.example/unsubscribe?t=42.abc&x=1');
    expect(mail.html).toContain('href="https://ledger.example/unsubscribe?t=42.abc&amp;x=1"');
    expect(raw.toString()).not.toContain('%%UNSUBSCRIBE_URL%%');
  });

  it('leaves out the mailto when none is configured', async () => {
    const mail = await simpleParser(
      await encode(message({ settings: { ...SETTINGS, unsubscribeMailto: null } })),
    );
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toBe(
      'List-Unsubscribe: <https://ledger.example/unsubscribe?t=42.abc&x=1>',
    );
  });

  it('has a Message-ID stable per (edition, subscriber) and distinct across both', () => {
    const a = messageIdFor('2026-11-24', 42, 'newsletter.ledger.example');
    expect(messageIdFor('2026-11-24', 42, 'newsletter.ledger.example')).toBe(a);
    expect(messageIdFor('2026-11-24', 43, 'newsletter.ledger.example')).not.toBe(a);
    expect(messageIdFor('2026-11-25', 42, 'newsletter.ledger.example')).not.toBe(a);
    expect(a).toMatch(/^<2026-11-24\.[0-9a-f]{24}@newsletter\.ledger\.example>$/);
  });

  it('encodes to the same bytes every time (reproducible outbox)', async () => {
    expect((await encode(message())).equals(await encode(message()))).toBe(true);
  });

  it('is DKIM-signed when a key is configured', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const dkim = {
      domainName: 'ledger.example',
      keySelector: 'news2026',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    const signed = (await encode(message(), dkim)).toString();
    const header = /^DKIM-Signature: (.*(?:\r\n[ \t].*)*)/m.exec(signed)?.[1] ?? '';
    expect(header).toContain('d=ledger.example');
    expect(header).toContain('s=news2026');
    expect(header).toMatch(/a=rsa-sha256/);
    // RFC 8058: one-click only counts when the signature covers both List-Unsubscribe headers.
    const signedHeaders =
      /(?:^|;)\s*h=([^;]*)/
        .exec(header.replace(/\r\n[ \t]+/g, ''))?.[1]
        ?.toLowerCase()
        .split(':') ?? [];
    expect(signedHeaders).toEqual(
      expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'from']),
    );
    expect((await encode(message())).toString()).not.toContain('DKIM-Signature');
  });
});
