import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeliveryStore } from '../../state/store/index.ts';
import { readBody } from '../http-page.ts';
import { type Action, applyVerdict, reportKeyOf } from './apply.ts';
import { type SesNotification, sesVerdict } from './ses.ts';

export interface SesHandlerOptions {
  store: DeliveryStore;
  /** The secret trace tokens were signed with (the unsubscribe secret). */
  secret: string;
  /** URL path the handler answers, e.g. `/ses-notifications`. */
  path: string;
  softBounceLimit: number;
  now(): string;
  /** Told about an SNS subscription to confirm (we never fetch a URL a request hands us). */
  log(message: string): void;
}

/** SES notifications carry the original's headers: tens of KB at most. */
const MAX_NOTIFICATION_BYTES = 512 * 1024;

/**
 * Amazon SES bounce and complaint notifications over SNS (HTTPS subscription), for mounting in
 * any node:http server like the unsubscribe handler: `if (await handle(req, res)) return;`.
 *
 * Accepts an SNS envelope (`Type: Notification`, the SES JSON in `Message`) or the SES JSON
 * itself (raw message delivery). Only a report carrying a valid signed trace token (our
 * `X-Broadsheet-Trace` header in `mail.headers`) changes anyone, so a forged POST does
 * nothing: that is why SNS's own certificate signature is not needed here. A
 * `SubscriptionConfirmation` is logged for the operator to confirm, never fetched by us.
 */
export function createSesHandler(
  options: SesHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== options.path) return false;
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      reply(res, 405, { error: 'POST SES notifications here' });
      return true;
    }
    const body = await readBody(req, MAX_NOTIFICATION_BYTES);
    if (body === null) {
      reply(res, 413, { error: 'too large' });
      return true;
    }
    let envelope: Record<string, unknown>;
    try {
      envelope = JSON.parse(body) as Record<string, unknown>;
      if (typeof envelope !== 'object' || envelope === null) throw new Error('not an object');
    } catch {
      reply(res, 400, { error: 'not a JSON object' });
      return true;
    }
    if (envelope.Type === 'SubscriptionConfirmation') {
      options.log(
        `SES/SNS: confirm the subscription ${String(envelope.TopicArn ?? '')} by visiting ${String(envelope.SubscribeURL ?? '')}`,
      );
      reply(res, 200, { confirmed: false, note: 'logged for the operator to confirm' });
      return true;
    }
    let notification: SesNotification;
    try {
      notification =
        envelope.Type === 'Notification' && typeof envelope.Message === 'string'
          ? (JSON.parse(envelope.Message) as SesNotification)
          : (envelope as SesNotification);
    } catch {
      reply(res, 400, { error: 'Message is not JSON' });
      return true;
    }
    const traceText = JSON.stringify(notification.mail ?? {});
    const key = reportKeyOf(typeof envelope.MessageId === 'string' ? envelope.MessageId : body);
    const actions: Action[] = [];
    for (const [index, verdict] of sesVerdict(notification).entries())
      actions.push(
        (
          await applyVerdict(
            {
              store: options.store,
              secret: options.secret,
              softBounceLimit: options.softBounceLimit,
              source: 'ses',
              now: options.now(),
            },
            verdict,
            traceText,
            `${key}:${index}`,
          )
        ).action,
      );
    reply(res, 200, { actions });
    return true;
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
