import { resolveUnsubscribeSecret } from '../../deliver/index.ts';
import type { StateDb } from '../../state/db.ts';
import type { Context } from '../context.ts';
import type { RouteHandler } from './server.ts';

/**
 * A route whose handler needs the signing secret (unsubscribe links, bounce traces). The secret is
 * looked up per request, because `send` may create the local one while `serve` runs; it is never
 * created here. Without one, a 503 that says how to get one: after a real send the secret was
 * the sender's environment variable, which `serve` must be given too (a local one exists only
 * after a send to the outbox).
 */
export function withSigningSecret(
  ctx: Context,
  db: StateDb,
  what: string,
  handlerFor: (secret: string) => RouteHandler,
): RouteHandler {
  return async (req, res) => {
    const resolved = resolveUnsubscribeSecret(db, ctx.env.unsubscribeSecret, {
      requireEnvironment: false,
      create: false,
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
