import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import {
  tokenSubscriberId,
  unsubscribeEndpoint,
  unsubscribeToken,
  unsubscribeUrlFor,
  verifyUnsubscribeToken,
} from '../../src/deliver/index.ts';

const SECRET = 'a-long-random-secret';

describe('unsubscribe tokens', () => {
  it('verify for the id and address they were made for, in any letter case of the address', () => {
    const token = unsubscribeToken(SECRET, 7, 'Ann@Example.org');
    expect(tokenSubscriberId(token)).toBe(7);
    expect(verifyUnsubscribeToken(SECRET, token, 7, 'ann@example.org')).toBe(true);
  });

  it('are refused for another address, another id, another secret, or when cut short', () => {
    const token = unsubscribeToken(SECRET, 7, 'ann@example.org');
    expect(verifyUnsubscribeToken(SECRET, token, 7, 'bob@example.org')).toBe(false);
    expect(verifyUnsubscribeToken(SECRET, token.replace(/^7\./, '8.'), 8, 'ann@example.org')).toBe(false);
    expect(verifyUnsubscribeToken('another-secret', token, 7, 'ann@example.org')).toBe(false);
    expect(verifyUnsubscribeToken(SECRET, token.slice(0, -1), 7, 'ann@example.org')).toBe(false);
    expect(tokenSubscriberId('')).toBeNull();
    expect(tokenSubscriberId('0.abc')).toBeNull();
  });

  // 43 base64url characters carry 258 bits for a 256-bit MAC: the last character has 2 spare bits
  // a decoder ignores, so "Y" and "Z" there decode alike. Only the exact token may verify.
  it('never verify when the spare bits of the last character change', () => {
    const token = unsubscribeToken(SECRET, 12, 'reader@example.org');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1) ?? '');
    const altered = token.slice(0, -1) + alphabet[last ^ 1];
    expect(verifyUnsubscribeToken(SECRET, altered, 12, 'reader@example.org')).toBe(false);
  });

  it('never verify when any character of the signature changes', () => {
    const token = unsubscribeToken(SECRET, 12, 'reader@example.org');
    const signatureStart = token.indexOf('.') + 1;
    fc.assert(
      fc.property(
        fc.integer({ min: signatureStart, max: token.length - 1 }),
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
        (i, c) => {
          fc.pre(token[i] !== c);
          const altered = token.slice(0, i) + c + token.slice(i + 1);
          return !verifyUnsubscribeToken(SECRET, altered, 12, 'reader@example.org');
        },
      ),
    );
  });

  it('go in the configured URL, or <baseUrl>unsubscribe, as ?t=', () => {
    const byBase = configSchema.parse({ site: { baseUrl: 'https://news.example/city' } });
    expect(unsubscribeUrlFor(unsubscribeEndpoint(byBase), '5.sig')).toBe(
      'https://news.example/city/unsubscribe?t=5.sig',
    );
    const explicit = configSchema.parse({
      delivery: { unsubscribeUrl: 'https://lists.example/u?list=city' },
    });
    expect(unsubscribeUrlFor(unsubscribeEndpoint(explicit), '5.sig')).toBe(
      'https://lists.example/u?list=city&t=5.sig',
    );
  });
});
