import { createSesHandler } from '../../deliver/bounces/index.ts';
import type { StateDb } from '../../state/index.ts';
import type { DeliveryStore } from '../../state/store/index.ts';
import { sqliteStore } from '../../state/store/sqlite.ts';
import type { Context } from '../context.ts';
import type { RouteHandler } from './server.ts';
import { withSigningSecret } from './signed-route.ts';

/**
 * The Amazon SES notification webhook at `delivery.sesWebhookPath`, when set. Like the
 * unsubscribe route, the secret is looked up per request and never created here. Reports are
 * applied where the senders read: PostgreSQL when `shared` is given, else the SQLite state.
 */
export function sesRoute(
  ctx: Context,
  db: StateDb,
  shared: DeliveryStore | null = null,
): Record<string, RouteHandler> {
  const { delivery } = ctx.loaded.config;
  const path = delivery.sesWebhookPath;
  if (!path) return {};
  // With BROADSHEET_DATABASE_URL a bounce must stop the senders, who read PostgreSQL.
  const store = shared ?? sqliteStore(db);
  const handler = withSigningSecret(ctx, db, 'signing', (secret) =>
    createSesHandler({
      store,
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
