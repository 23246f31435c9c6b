/**
 * Delivery: one edition to many people, each exactly once.
 *
 * - `buildMessage` fills a recipient into a rendered edition (pure).
 * - `createSmtpTransport` / `createOutboxTransport`: the two ways a message leaves, behind `Transport`.
 * - `sendEdition`: the ledger-driven sender (rate limit, retries, bounces, in-doubt handling).
 * - `unsubscribeToken` / `verifyUnsubscribeToken` and `createUnsubscribeHandler` (mount in `serve`).
 * - `parseSubscribersCsv` / `subscribersToCsv` for `broadsheet subscribers import|export`.
 */
export {
  type Address,
  buildMessage,
  type Message,
  type MessageSettings,
  messageIdFor,
  type Recipient,
} from './message.ts';
export { createOutboxTransport, type OutboxTransportOptions, readFileIfExists } from './outbox-transport.ts';
export { createRateLimiter } from './rate-limit.ts';
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
  tokenSubscriberId,
  unsubscribeEndpoint,
  unsubscribeToken,
  unsubscribeUrlFor,
  verifyUnsubscribeToken,
} from './unsubscribe.ts';
export { createUnsubscribeHandler, type UnsubscribeHandlerOptions } from './unsubscribe-handler.ts';
