import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../render/html.ts';
import { fillHtml, messagesFor, textDirection } from '../render/index.ts';
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
  /** The site's language (BCP 47): the page's words and direction follow it; English when not given. */
  language?: string;
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
    const language = options.language ?? 'en';
    const t = messagesFor(language);
    const site = options.siteTitle;
    const page = (heading: string, body: string) => pageHtml(site, language, heading, body);
    const sentence = (message: string, email: string) => fillHtml(message, { email, site: escapeHtml(site) });
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      res.setHeader('Allow', 'GET, HEAD, POST');
      send(res, 405, page(t.methodNotAllowed, `<p>${escapeHtml(t.useEmailLink)}</p>`));
      return true;
    }
    const token = url.searchParams.get('t') ?? '';
    const subscriber = findByToken(options, token);
    if (method === 'POST') {
      const body = await readBody(req);
      if (body === null) {
        send(res, 413, page(t.requestTooLarge, ''));
        return true;
      }
    }
    if (!subscriber) {
      send(res, 400, page(t.invalidLink, `<p>${escapeHtml(t.invalidLinkHelp)}</p>`), method === 'HEAD');
      return true;
    }
    if (method === 'POST') {
      if (subscriber.status === 'active')
        setSubscriberStatus(options.db, subscriber.id, 'unsubscribed', options.now());
      send(
        res,
        200,
        page(t.unsubscribed, `<p>${sentence(t.unsubscribedBody, escapeHtml(subscriber.email))}</p>`),
      );
      return true;
    }
    const body =
      subscriber.status === 'active'
        ? `<p>${sentence(t.confirmUnsubscribe, `<strong>${escapeHtml(subscriber.email)}</strong>`)}</p>
<form method="post" action="${escapeHtml(`${url.pathname}?t=${encodeURIComponent(token)}`)}">
<input type="hidden" name="confirm" value="1">
<button type="submit">${escapeHtml(t.unsubscribe)}</button>
</form>`
        : `<p>${sentence(t.alreadyUnsubscribed, escapeHtml(subscriber.email))}</p>`;
    send(res, 200, page(t.unsubscribe, body), method === 'HEAD');
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

function pageHtml(siteTitle: string, language: string, heading: string, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(language)}" dir="${textDirection(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(heading)} · ${escapeHtml(siteTitle)}</title>
<style>html{background:#fff}body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222;background:#fff}button{font:inherit;padding:.5rem 1.25rem;border:0;border-radius:4px;background:#222;color:#fff;cursor:pointer}</style>
</head>
<body>
<h1>${escapeHtml(heading)}</h1>
${body}
</body>
</html>
`;
}
