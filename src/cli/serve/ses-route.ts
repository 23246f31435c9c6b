import { createSesHandler } from '../../deliver/bounces/index.ts';
import type { StateDb } from '../../state/index.ts';
import type { Context } from '../context.ts';
import type { RouteHandler } from './server.ts';
import { withSigningSecret } from './signed-route.ts';

/**
 * The Amazon SES notification webhook at `delivery.sesWebhookPath`, when set. Like the
 * unsubscribe route, the secret is looked up per request and never created here.
 */
export function sesRoute(ctx: Context, db: StateDb): Record<string, RouteHandler> {
  const { delivery } = ctx.loaded.config;
  const path = delivery.sesWebhookPath;
  if (!path) return {};
  const handler = withSigningSecret(ctx, db, 'signing', (secret) =>
    createSesHandler({
      db,
      secret,
      path,
      softBounceLimit: delivery.softBounceLimit,
      // The CLI is the impure edge: a real clock for when the report arrived.
      now: () => new Date().toISOString(),
      log: (message) => ctx.log(message),
    }),
  );
  return { [path]: handler };
}
