import { resolveUnsubscribeSecret } from '../../deliver/index.ts';
import type { StateDb } from '../../state/db.ts';
import type { Context } from '../context.ts';
import type { RouteHandler } from './server.ts';

/**
 * A route whose handler needs the signing secret (unsubscribe links, bounce traces). The secret is
 * looked up per request, because `send` may create the local one while `serve` runs; it is never
 * created here. Without one, a 503 that says how to get one.
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
      res.end(`No ${what} secret yet: set BROADSHEET_UNSUBSCRIBE_SECRET or run \`broadsheet send\` once.\n`);
      return true;
    }
    return handlerFor(resolved.secret)(req, res);
  };
}
