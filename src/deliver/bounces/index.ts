/**
 * Bounces and complaints: what comes back after a message left.
 *
 * - `traceFor`: the VERP envelope sender and signed token each message carries.
 * - `classifyReport`: one message from the bounce mailbox -> hard | soft | complaint | not-bounce.
 * - `readMailbox`: the messages of an mbox file, a Maildir or a folder of .eml files.
 * - `applyVerdict`: a classified, traced report -> the subscriber's status and the suppression list.
 * - `sesVerdict` / `createSesHandler`: Amazon SES notifications (SNS webhook).
 */
import type { Config } from '../../config/index.ts';
import { traceToken, verpAddress } from './verp.ts';

export { type Action, type Applied, type ApplyOptions, applyVerdict, reportKeyOf } from './apply.ts';
export { type BounceKind, type BounceVerdict, classifyReport } from './classify.ts';
export { type MailboxMessage, readMailbox } from './mailbox.ts';
export { type SesNotification, sesTraceText, sesVerdict } from './ses.ts';
export { createSesHandler, type SesHandlerOptions } from './ses-handler.ts';
export { editionTag, findTraces, type Trace, traceToken, verpAddress } from './verp.ts';

/** The return path and token for one message (envelope sender `returnPath`, default the From address). */
export function traceFor(
  secret: string,
  editionId: string,
  subscriberId: number,
  delivery: Config['delivery'],
): { returnPath: string; token: string } {
  const token = traceToken(secret, editionId, subscriberId);
  return { returnPath: verpAddress(delivery.returnPath ?? delivery.from.email, token), token };
}
