import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * VERP (variable envelope return path): each message goes out with its own envelope sender,
 * `bounces+<token>@example.com`, so a report that comes back to it names the (edition,
 * subscriber) it is about, whatever the reporting server did to the report's body.
 *
 * The token is `bs1-<subscriber id, base 36>-<edition tag>-<MAC>`: lower case and digits only
 * (some servers lower-case local parts), at most 43 characters (a local part may have 64). The
 * edition tag is 8 hex digits of SHA-256 of the edition id; the MAC, 80 bits of HMAC-SHA256
 * over both, keyed with the unsubscribe secret, so a forged or edited report is ignored: no one
 * can bounce or unsubscribe someone else by mailing us a made-up report.
 */
const CONTEXT = 'broadsheet-verp-v1';
const TOKEN = /\bbs1-([0-9a-z]{1,11})-([0-9a-f]{8})-([0-9a-f]{20})\b/gi;

export function editionTag(editionId: string): string {
  return createHash('sha256').update(editionId).digest('hex').slice(0, 8);
}

export function traceToken(secret: string, editionId: string, subscriberId: number): string {
  const tag = editionTag(editionId);
  return `bs1-${subscriberId.toString(36)}-${tag}-${mac(secret, subscriberId, tag)}`;
}

/** `bounces@example.com` + token -> `bounces+<token>@example.com` (RFC 5233 subaddress). */
export function verpAddress(returnPath: string, token: string): string {
  const at = returnPath.lastIndexOf('@');
  return `${returnPath.slice(0, at)}+${token}${returnPath.slice(at)}`;
}

export interface Trace {
  subscriberId: number;
  editionTag: string;
}

/** Every valid token in a text (a report, its returned original's headers), forged ones left out. */
export function findTraces(secret: string, text: string): Trace[] {
  const traces: Trace[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(TOKEN)) {
    const [, id36 = '', tag = '', given = ''] = match.map((part) => part.toLowerCase());
    const subscriberId = Number.parseInt(id36, 36);
    if (!Number.isSafeInteger(subscriberId) || subscriberId <= 0 || seen.has(`${subscriberId}-${tag}`))
      continue;
    const expected = Buffer.from(mac(secret, subscriberId, tag));
    if (expected.length !== given.length || !timingSafeEqual(expected, Buffer.from(given))) continue;
    seen.add(`${subscriberId}-${tag}`);
    traces.push({ subscriberId, editionTag: tag });
  }
  return traces;
}

function mac(secret: string, subscriberId: number, tag: string): string {
  return createHmac('sha256', secret)
    .update(`${CONTEXT}\n${subscriberId}\n${tag}`)
    .digest('hex')
    .slice(0, 20);
}
