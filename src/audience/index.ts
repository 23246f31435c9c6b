/**
 * The audience: how people join and manage their subscription.
 *
 * - `createSignupHandler`: the signup form's endpoint with double opt-in (honeypot, rate limits,
 *   one answer for every address), and the confirmation link (GET shows a button, POST confirms).
 * - `createPreferencesHandler`: the signed "manage your subscription" page (topics, pause and
 *   resume, unsubscribe, erasure).
 * - `renderConfirmationMail` / `createMailer`: the confirmation mail and how it leaves.
 *
 * - `clientAddressFrom` / `rateLimitKey`: the client address behind trusted proxies, and what the
 *   per-client limit counts (IPv6 per /64).
 *
 * Both handlers mount in any node:http server, like delivery's unsubscribe handler.
 */
export { clientAddressFrom, rateLimitKey, type TrustProxy } from './client-address.ts';
export {
  BUNDLED_CONFIRMATION_TEMPLATE,
  type ConfirmationMail,
  readConfirmationTemplate,
  renderConfirmationMail,
} from './confirmation-mail.ts';
export { createMailer, type Mail, type Mailer, type MailRoute } from './mailer.ts';
export { createPreferencesHandler, type PreferencesHandlerOptions } from './preferences-handler.ts';
export {
  confirmationToken,
  createSignupHandler,
  type SignupHandlerOptions,
  type SignupLimits,
  signupEndpoint,
} from './signup-handler.ts';
