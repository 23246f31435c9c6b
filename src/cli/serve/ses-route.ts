import { createSesHandler } from '../../deliver/bounces/index.ts';
import { resolveUnsubscribeSecret } from '../../deliver/index.ts';
import type { StateDb } from '../../state/db.ts';
import type { Context } from '../context.ts';
import type { RouteHandler } from './server.ts';

/**
 * The Amazon SES notification webhook at `delivery.sesWebhookPath`, when set. Like the
 * unsubscribe route, the secret is looked up per request and never created here.
 */
export function sesRoute(ctx: Context, db: StateDb): Record<string, RouteHandler> {
  const { delivery } = ctx.loaded.config;
  const path = delivery.sesWebhookPath;
  if (!path) return {};
  const handler: RouteHandler = async (req, res) => {
    const resolved = resolveUnsubscribeSecret(db, ctx.env.unsubscribeSecret, {
      requireEnvironment: false,
      create: false,
    });
    if (!resolved || 'error' in resolved) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('No signing secret yet: set BROADSHEET_UNSUBSCRIBE_SECRET or run `broadsheet send` once.\n');
      return true;
    }
    return createSesHandler({
      db,
      secret: resolved.secret,
      path,
      softBounceLimit: delivery.softBounceLimit,
      // The CLI is the impure edge: a real clock for when the report arrived.
      now: () => new Date().toISOString(),
      log: (message) => ctx.log(message),
    })(req, res);
  };
  return { [path]: handler };
}
