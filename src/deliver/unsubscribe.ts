import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/index.ts';

/**
 * Unsubscribe tokens: `<subscriberId>.<HMAC-SHA256(secret, id + email)>` in base64url.
 * The MAC binds the subscriber's id AND address, so a token can neither be guessed nor edited
 * to unsubscribe someone else, and it stops working if the row is erased and the id reused
 * by another address. It never expires: an unsubscribe link in a year-old message must work.
 */
const TOKEN_CONTEXT = 'broadsheet-unsubscribe-v1';

export function unsubscribeToken(secret: string, subscriberId: number, email: string): string {
  return signedToken(TOKEN_CONTEXT, secret, subscriberId, email);
}

/** The subscriber id a token claims, or null when it is malformed (check it with `verifyUnsubscribeToken`). */
export function tokenSubscriberId(token: string): number | null {
  const match = /^([1-9]\d{0,15})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match ? Number(match[1]) : null;
}

/** True when `token` was made with `secret` for exactly this id and address (constant-time compare). */
export function verifyUnsubscribeToken(
  secret: string,
  token: string,
  subscriberId: number,
  email: string,
): boolean {
  return verifySignedToken(TOKEN_CONTEXT, secret, token, subscriberId, email);
}

/**
 * `<id>.<HMAC-SHA256(secret, context + id + email)>`: the scheme of every signed link (unsubscribe,
 * preferences, signup confirmation). The context keeps one kind of link from being used as
 * another: a preferences token can erase a person, an unsubscribe token must not.
 */
export function signedToken(context: string, secret: string, id: number, email: string): string {
  return `${id}.${mac(context, secret, id, email).toString('base64url')}`;
}

export function verifySignedToken(
  context: string,
  secret: string,
  token: string,
  id: number,
  email: string,
): boolean {
  if (tokenSubscriberId(token) !== id) return false;
  // Compared as text, not decoded: base64url decoding ignores the last character's two spare
  // bits, so decoding would let four spellings of one token pass.
  const given = Buffer.from(token);
  const expected = Buffer.from(signedToken(context, secret, id, email));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function mac(context: string, secret: string, id: number, email: string): Buffer {
  return createHmac('sha256', secret).update(`${context}\n${id}\n${email.toLowerCase()}`).digest();
}

/** Where unsubscribe requests go: `delivery.unsubscribeUrl`, else `<baseUrl>unsubscribe`. */
export function unsubscribeEndpoint(config: Config): URL {
  return new URL(config.delivery.unsubscribeUrl ?? 'unsubscribe', config.site.baseUrl);
}

/** The endpoint with this recipient's token as `?t=` (keeping any query the endpoint has). */
export function unsubscribeUrlFor(endpoint: URL, token: string): string {
  const url = new URL(endpoint);
  url.searchParams.set('t', token);
  return url.toString();
}

/** A new random secret for local (outbox) mode, kept in the state store. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}
