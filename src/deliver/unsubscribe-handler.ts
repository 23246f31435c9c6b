import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../render/html.ts';
import { fillHtml, messagesFor } from '../render/index.ts';
import type { StateDb } from '../state/index.ts';
import { getSubscriber, setSubscriberStatus } from '../state/index.ts';
import type { Subscriber } from '../types.ts';
import { pageHtml, readBody, sendHtml } from './http-page.ts';
import { tokenSubscriberId, verifyUnsubscribeToken } from './unsubscribe.ts';

/**
 * Where the handler reads and changes the list: the SQLite state (`db`), or any store (the
 * PostgreSQL one the senders share), so an unsubscribe reaches the database mail goes out from.
 */
export interface UnsubscribeList {
  getSubscriber(id: number): Subscriber | null | Promise<Subscriber | null>;
  setSubscriberStatus(id: number, status: 'unsubscribed', now: string): unknown;
}

export type UnsubscribeHandlerOptions = UnsubscribeHandlerSettings &
  ({ db: StateDb } | { list: UnsubscribeList });

interface UnsubscribeHandlerSettings {
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
  const list: UnsubscribeList =
    'list' in options
      ? options.list
      : {
          getSubscriber: (id) => getSubscriber(options.db, id),
          setSubscriberStatus: (id, status, now) => setSubscriberStatus(options.db, id, status, now),
        };
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
      sendHtml(res, 405, page(t.methodNotAllowed, `<p>${escapeHtml(t.useEmailLink)}</p>`));
      return true;
    }
    const token = url.searchParams.get('t') ?? '';
    const subscriber = await findByToken(list, options.secret, token);
    if (method === 'POST') {
      const body = await readBody(req);
      if (body === null) {
        sendHtml(res, 413, page(t.requestTooLarge, ''));
        return true;
      }
    }
    if (!subscriber) {
      sendHtml(res, 400, page(t.invalidLink, `<p>${escapeHtml(t.invalidLinkHelp)}</p>`), {
        headOnly: method === 'HEAD',
      });
      return true;
    }
    if (method === 'POST') {
      // A paused reader who unsubscribes means it: paused is still on the list.
      if (subscriber.status === 'active' || subscriber.status === 'paused')
        await list.setSubscriberStatus(subscriber.id, 'unsubscribed', options.now());
      sendHtml(
        res,
        200,
        page(t.unsubscribed, `<p>${sentence(t.unsubscribedBody, escapeHtml(subscriber.email))}</p>`),
      );
      return true;
    }
    const body =
      subscriber.status === 'active' || subscriber.status === 'paused'
        ? `<p>${sentence(t.confirmUnsubscribe, `<strong>${escapeHtml(subscriber.email)}</strong>`)}</p>
<form method="post" action="${escapeHtml(`${url.pathname}?t=${encodeURIComponent(token)}`)}">
<input type="hidden" name="confirm" value="1">
<button type="submit">${escapeHtml(t.unsubscribe)}</button>
</form>`
        : `<p>${sentence(t.alreadyUnsubscribed, escapeHtml(subscriber.email))}</p>`;
    sendHtml(res, 200, page(t.unsubscribe, body), { headOnly: method === 'HEAD' });
    return true;
  };
}

async function findByToken(list: UnsubscribeList, secret: string, token: string): Promise<Subscriber | null> {
  const id = tokenSubscriberId(token);
  if (id === null) return null;
  const subscriber = await list.getSubscriber(id);
  if (!subscriber) return null;
  return verifyUnsubscribeToken(secret, token, subscriber.id, subscriber.email) ? subscriber : null;
}
