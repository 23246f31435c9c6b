/**
 * Delivery: one edition to many people, each exactly once.
 *
 * - `buildMessage` fills a recipient into a rendered edition (pure).
 * - `createSmtpTransport` / `createOutboxTransport`: the two ways a message leaves, behind `Transport`.
 * - `sendEdition`: the ledger-driven sender (rate limit, retries, bounces, in-doubt handling);
 *   `planDeliveries`: what it would do, for a dry run, by the same ledger rules.
 * - `chooseRoute` / `openRoute`: SMTP or the outbox, chosen in one place.
 * - `renderPerSelection` / `messageComposer`: one render per topic selection, one message per person.
 * - `checkOneClick`: the https rule for RFC 8058 one-click unsubscribe.
 * - `unsubscribeToken` / `verifyUnsubscribeToken` and `createUnsubscribeHandler` (mount in `serve`).
 * - `parseSubscribersCsv` / `subscribersToCsv` for `broadsheet subscribers import|export`.
 */

export { type Compose, messageComposer, messageSettings } from './compose.ts';
export { noDeliveries, type PlannedDeliveries, planDeliveries, plannedFor } from './dry-run.ts';
export {
  type Address,
  buildMessage,
  type Message,
  type MessageSettings,
  messageIdFor,
  type Recipient,
} from './message.ts';
export { checkOneClick } from './one-click.ts';
export { createOutboxTransport, type OutboxTransportOptions, readFileIfExists } from './outbox-transport.ts';
export {
  preferencesEndpoint,
  preferencesToken,
  preferencesUrlFor,
  verifyPreferencesToken,
} from './preferences-link.ts';
export { createRateLimiter } from './rate-limit.ts';
export { type EditionRenders, renderFor, renderPerSelection, topicsKey } from './renders.ts';
export { chooseRoute, describeRoute, openRoute, type Route, routeRatePerSecond } from './route.ts';
export { resolveUnsubscribeSecret, type SecretSource } from './secret.ts';
export {
  type InDoubt,
  type Outcome,
  type ProgressEvent,
  type SendEditionOptions,
  type SendSummary,
  sendEdition,
} from './sender.ts';
export { classifySmtpError, createSmtpTransport, type SmtpTransportOptions } from './smtp-transport.ts';
export {
  cleanSubscriberName,
  neutralizeCell,
  normalizeEmail,
  parseSubscribersCsv,
  parseTopics,
  type SubscriberRow,
  subscriberCsvReader,
  subscribersToCsv,
} from './subscribers-csv.ts';
export {
  DeliveryError,
  type FailureKind,
  type InDoubtOutcome,
  type Transport,
  toMailOptions,
} from './transport.ts';
export {
  generateSecret,
  signedToken,
  tokenSubscriberId,
  unsubscribeEndpoint,
  unsubscribeToken,
  unsubscribeUrlFor,
  verifySignedToken,
  verifyUnsubscribeToken,
} from './unsubscribe.ts';
export {
  createUnsubscribeHandler,
  type UnsubscribeHandlerOptions,
  type UnsubscribeList,
} from './unsubscribe-handler.ts';
