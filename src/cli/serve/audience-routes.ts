import { join } from 'node:path';
import {
  clientAddressFrom,
  createMailer,
  createPreferencesHandler,
  createSignupHandler,
  type Mailer,
  readConfirmationTemplate,
  renderConfirmationMail,
  signupEndpoint,
} from '../../audience/index.ts';
import { messageIdFor, preferencesEndpoint } from '../../deliver/index.ts';
import { ruleTopic } from '../../normalize/index.ts';
import { writeFileAtomic } from '../../pipeline/output.ts';
import type { StateDb } from '../../state/index.ts';
import type { DeliveryStore } from '../../state/store/index.ts';
import { sqliteStore } from '../../state/store/sqlite.ts';
import type { Context } from '../context.ts';
import type { RouteHandler } from './server.ts';
import { withSigningSecret } from './signed-route.ts';

/**
 * The signup endpoint (`signup.url`'s path, default `/subscribe`) and the preferences page
 * (`delivery.preferencesUrl`'s path, default `/preferences`). Confirmation mails leave the way
 * `send`'s do: SMTP_URL, else `.eml` files in `<delivery.outbox>/signups/`. `close` waits for the
 * mails in flight, then ends the mailer.
 */
export function audienceRoutes(
  ctx: Context,
  db: StateDb,
  shared: DeliveryStore | null = null,
): { routes: Record<string, RouteHandler>; close(): Promise<void> } {
  const { config } = ctx.loaded;
  // With BROADSHEET_DATABASE_URL, signups and preferences change the list the senders read.
  const store = shared ?? sqliteStore(db);
  const topics = config.feeds.topics.map(ruleTopic);
  // The CLI is the impure edge: a real clock, or SOURCE_DATE_EPOCH's when set (as `send` dates mail).
  const now = () =>
    ctx.env.sourceDateEpoch !== null ? (ctx.now.toUTC().toISO() ?? '') : new Date().toISOString();
  let mailer: Mailer | null = null;
  const mail = () => {
    mailer ??= createMailer(
      ctx.env.smtpUrl
        ? { kind: 'smtp', url: ctx.env.smtpUrl }
        : {
            kind: 'outbox',
            folder: join(ctx.path(config.delivery.outbox), 'signups'),
            write: writeFileAtomic,
          },
      ctx.env.dkim,
    );
    return mailer;
  };
  const template = readConfirmationTemplate(ctx.path(config.paths.templates));
  const endpoint = signupEndpoint(config);
  const clientAddress = clientAddressFrom(config.serve.trustProxy);
  const signups = new Map<string, ReturnType<typeof createSignupHandler>>();
  const signup = withSigningSecret(
    ctx,
    db,
    'signing',
    (secret) => {
      // One handler per secret, kept: it tracks the mails it has in flight.
      let handler = signups.get(secret);
      if (!handler) {
        handler = createSignupHandler({
          store,
          secret,
          path: endpoint.pathname,
          endpoint,
          siteTitle: config.site.title,
          language: config.site.language,
          topics,
          limits: config.signup,
          renderMail: (email, confirmUrl) =>
            renderConfirmationMail({
              template,
              siteTitle: config.site.title,
              language: config.site.language,
              email,
              confirmUrl,
              pendingDays: config.signup.pendingDays,
            }),
          sendMail: (to, rendered, signupId) => {
            const date = now();
            return mail().send({
              from: { name: config.delivery.from.name, address: config.delivery.from.email },
              to,
              ...rendered,
              date,
              messageId: messageIdFor(`signup-${signupId}-${date}`, signupId, config.delivery.listId),
            });
          },
          now,
          clientAddress,
          log: (message) => process.stderr.write(`broadsheet serve: ${message}\n`),
        });
        signups.set(secret, handler);
      }
      return handler;
    },
    { createForOutbox: true },
  );
  const preferencesPath = preferencesEndpoint(config).pathname;
  const preferences = withSigningSecret(ctx, db, 'signing', (secret) =>
    createPreferencesHandler({
      store,
      secret,
      path: preferencesPath,
      siteTitle: config.site.title,
      language: config.site.language,
      topics,
      now,
    }),
  );
  return {
    routes: { [endpoint.pathname]: signup, [preferencesPath]: preferences },
    // A confirmation mail leaves after the answer: one still on its way when serve stops (a
    // restart, a deploy) is handed over first. Dropped, the reader's signup would wait unmailed,
    // and signing up again within the mail interval sends nothing.
    close: async () => {
      await Promise.all([...signups.values()].map((handler) => handler.idle()));
      mailer?.close();
    },
  };
}
