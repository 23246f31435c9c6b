import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeEmail, parseSubscribersCsv, subscribersToCsv } from '../../src/deliver/index.ts';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const TOPICS = ['transit', 'climate'];

describe('subscriber CSV import', () => {
  it('keeps every good row and reports each bad one by line, without stopping', () => {
    const { rows, diagnostics } = parseSubscribersCsv(
      fixture('subscribers-with-bad-rows.csv'),
      'list.csv',
      TOPICS,
    );
    expect(rows).toEqual([
      {
        line: 2,
        email: 'ann@example.org',
        name: 'Ann Lee',
        topics: ['transit', 'climate'],
        status: 'active',
      },
      { line: 4, email: 'bob@example.org', name: 'Lee, Bob', topics: [], status: 'active' },
      { line: 7, email: 'dee@example.org', name: 'Dee', topics: ['transit'], status: 'active' },
    ]);
    expect(diagnostics.map((d) => [d.line, d.severity, d.code])).toEqual([
      [3, 'error', 'subscribers/invalid-email'],
      [5, 'warning', 'subscribers/duplicate'],
      [6, 'error', 'subscribers/unknown-topic'],
    ]);
    expect(diagnostics.every((d) => d.file === 'list.csv')).toBe(true);
    expect(diagnostics[1]?.message).toContain('duplicate of line 2');
    expect(diagnostics[2]?.message).toContain('"gardening"');
  });

  it('needs a header naming the email column', () => {
    const { rows, diagnostics } = parseSubscribersCsv(
      fixture('subscribers-without-email-column.csv'),
      'x.csv',
      TOPICS,
    );
    expect(rows).toEqual([]);
    expect(diagnostics).toMatchObject([{ line: 1, code: 'subscribers/header' }]);
  });

  it('reports a row broken by an unclosed quote, naming the lines it swallowed', () => {
    const { diagnostics } = parseSubscribersCsv(fixture('subscribers-unclosed-quote.csv'), 'q.csv', TOPICS);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', code: 'subscribers/csv', line: 2 });
  });

  it('validates addresses the way providers do', () => {
    expect(normalizeEmail(' Ann.Lee+news@Example.ORG ')).toEqual({ email: 'Ann.Lee+news@example.org' });
    for (const bad of [
      '',
      'ann',
      'ann@',
      '@example.org',
      'ann@example',
      'ann lee@example.org',
      'ann@@example.org',
    ])
      expect(normalizeEmail(bad)).toHaveProperty('error');
  });

  it('refuses addresses past the lengths mail servers take (RFC 5321, RFC 1035), naming which', () => {
    const local = (n: number) => 'a'.repeat(n);
    // At the limits: taken.
    expect(normalizeEmail(`${local(64)}@example.org`)).toEqual({ email: `${local(64)}@example.org` });
    const longest = `${local(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.org`;
    expect(longest).toHaveLength(254);
    expect(normalizeEmail(longest)).toEqual({ email: longest });
    // One past each: refused (a server answers 501 at RCPT TO, on every send).
    expect(normalizeEmail(`${local(65)}@example.org`)).toEqual({
      error: `not a valid email address: "${local(65)}@example.org" (over 64 characters before the @, which mail servers refuse)`,
    });
    expect(
      normalizeEmail(`${local(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.org`),
    ).toHaveProperty('error', expect.stringContaining('(over 254 characters, which mail servers refuse)'));
    expect(normalizeEmail(`ann@${'b'.repeat(64)}.org`)).toHaveProperty(
      'error',
      expect.stringContaining('(over 63 characters in a part of the domain, which mail servers refuse)'),
    );
  });

  it('exports in the columns import reads, so the list round-trips', () => {
    const csv = subscribersToCsv([
      {
        id: 1,
        email: 'ann@example.org',
        name: 'Lee, Ann',
        status: 'unsubscribed',
        topics: ['transit', 'climate'],
        createdAt: '2026-11-24T12:00:00.000Z',
        bounceCount: 0,
      },
    ]);
    expect(csv).toBe(
      'email,name,topics,status,created_at,bounce_count\nann@example.org,"Lee, Ann",transit;climate,unsubscribed,2026-11-24T12:00:00.000Z,0\n',
    );
    expect(parseSubscribersCsv(csv, 'e.csv', TOPICS).rows).toEqual([
      {
        line: 2,
        email: 'ann@example.org',
        name: 'Lee, Ann',
        topics: ['transit', 'climate'],
        status: 'unsubscribed',
      },
    ]);
  });
});
