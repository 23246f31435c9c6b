import { resolveUnsubscribeSecret } from '../../deliver/index.ts';
import type { StateDb } from '../../state/index.ts';
import type { Context } from '../context.ts';
import type { RouteHandler } from './server.ts';

/**
 * A route whose handler needs the signing secret (unsubscribe links, bounce traces). The secret is
 * looked up per request, because `send` may create the local one while `serve` runs; it is never
 * created here (but see `createForOutbox`). Without one, a 503 that says how to get one: after a real send the secret was
 * the sender's environment variable, which `serve` must be given too (a local one exists only
 * after a send to the outbox).
 */
export function withSigningSecret(
  ctx: Context,
  db: StateDb,
  what: string,
  handlerFor: (secret: string) => RouteHandler,
  options: { createForOutbox?: boolean } = {},
): RouteHandler {
  // A signup is the first link anyone signs: with mail going to the outbox (no SMTP_URL), the
  // local secret it creates is the one a later outbox send uses. With SMTP_URL set, `send`
  // signs with the environment's secret only, so serve must not invent another.
  const create = Boolean(options.createForOutbox) && !ctx.env.smtpUrl;
  return async (req, res) => {
    const resolved = resolveUnsubscribeSecret(db, ctx.env.unsubscribeSecret, {
      requireEnvironment: false,
      create,
    });
    if (!resolved || 'error' in resolved) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(noSecretText(what));
      return true;
    }
    return handlerFor(resolved.secret)(req, res);
  };
}

export function noSecretText(what: string): string {
  return (
    `No ${what} secret here: \`broadsheet serve\` checks links with the same BROADSHEET_UNSUBSCRIBE_SECRET ` +
    'that `broadsheet send` signed them with. Start serve with that variable set to the same value.\n' +
    '(Without the variable, only a send to the outbox keeps a local secret that serve finds by itself.)\n'
  );
}
