import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../render/html.ts';
import type { StateDb } from '../state/db.ts';
import { getSubscriber, setSubscriberStatus } from '../state/subscribers.ts';
import type { Subscriber } from '../types.ts';
import { tokenSubscriberId, verifyUnsubscribeToken } from './unsubscribe.ts';

export interface UnsubscribeHandlerOptions {
  db: StateDb;
  /** The same secret `send` signed the links with (see `resolveUnsubscribeSecret`). */
  secret: string;
  /** URL path the handler answers, e.g. `/unsubscribe` (`unsubscribeEndpoint(config).pathname`). */
  path: string;
  /** Publication name for the page. */
  siteTitle: string;
  /** ISO timestamp recorded with the status change. */
  now(): string;
}

/** Bodies are a form field or two; anything bigger is not ours. */
const MAX_BODY_BYTES = 4096;

/**
 * The unsubscribe endpoint, for mounting in any node:http server:
 *   `if (await handleUnsubscribe(req, res)) return;` before the server's own routing.
 * Resolves true when it answered the request (its path), false to let the caller go on.
 *
 * - POST `?t=<token>` unsubscribes (RFC 8058 one-click: mail clients POST
 *   `List-Unsubscribe=One-Click`; our confirmation form posts too). Idempotent: 200 every time.
 * - GET `?t=<token>` only shows a page with a button: link scanners and mail security gateways
 *   fetch every GET in a message, and must not unsubscribe anyone.
 */
export function createUnsubscribeHandler(
  options: UnsubscribeHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== options.path) return false;
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      res.setHeader('Allow', 'GET, HEAD, POST');
      send(res, 405, page(options.siteTitle, 'Method not allowed', '<p>Use the link in your email.</p>'));
      return true;
    }
    const token = url.searchParams.get('t') ?? '';
    const subscriber = findByToken(options, token);
    if (method === 'POST') {
      const body = await readBody(req);
      if (body === null) {
        send(res, 413, page(options.siteTitle, 'Request too large', ''));
        return true;
      }
    }
    if (!subscriber) {
      send(
        res,
        400,
        page(
          options.siteTitle,
          'This unsubscribe link is not valid',
          '<p>It may have been cut off by your email program. Please use the complete link from the newsletter, or reply to the newsletter and ask us to remove you.</p>',
        ),
        method === 'HEAD',
      );
      return true;
    }
    if (method === 'POST') {
      if (subscriber.status === 'active')
        setSubscriberStatus(options.db, subscriber.id, 'unsubscribed', options.now());
      send(
        res,
        200,
        page(
          options.siteTitle,
          'You are unsubscribed',
          `<p>${escapeHtml(subscriber.email)} will get no more newsletters from ${escapeHtml(options.siteTitle)}.</p>`,
        ),
      );
      return true;
    }
    const body =
      subscriber.status === 'active'
        ? `<p>Unsubscribe <strong>${escapeHtml(subscriber.email)}</strong> from the newsletters of ${escapeHtml(options.siteTitle)}?</p>
<form method="post" action="${escapeHtml(`${url.pathname}?t=${encodeURIComponent(token)}`)}">
<input type="hidden" name="confirm" value="1">
<button type="submit">Unsubscribe</button>
</form>`
        : `<p>${escapeHtml(subscriber.email)} is already unsubscribed. Nothing more to do.</p>`;
    send(res, 200, page(options.siteTitle, 'Unsubscribe', body), method === 'HEAD');
    return true;
  };
}

function findByToken(options: UnsubscribeHandlerOptions, token: string): Subscriber | null {
  const id = tokenSubscriberId(token);
  if (id === null) return null;
  const subscriber = getSubscriber(options.db, id);
  if (!subscriber) return null;
  return verifyUnsubscribeToken(options.secret, token, subscriber.id, subscriber.email) ? subscriber : null;
}

/** Reads (and discards) the body; null when it is too large. The token in the URL is what counts. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, html: string, headOnly = false): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  // The token in the URL is a credential: no caching, no referrer, no indexing.
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Robots-Tag', 'noindex');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  );
  res.setHeader('Content-Length', Buffer.byteLength(html));
  res.end(headOnly ? undefined : html);
}

function page(siteTitle: string, heading: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(heading)} · ${escapeHtml(siteTitle)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}button{font:inherit;padding:.5rem 1.25rem;border:0;border-radius:4px;background:#222;color:#fff;cursor:pointer}</style>
</head>
<body>
<h1>${escapeHtml(heading)}</h1>
${body}
</body>
</html>
`;
}
