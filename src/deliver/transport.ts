import { createHash } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import type { Message } from './message.ts';

/**
 * The one seam between "what to send" and "how it leaves": the SMTP pool and the outbox folder
 * both implement it, and the ledger-driven sender above never knows which one runs
 * (nodemailer's design: transports behind one interface).
 */
export interface Transport {
  /** Hands over one message; resolves when the server (or disk) has accepted it. Throws `DeliveryError`. */
  send(message: Message): Promise<void>;
  close(): Promise<void>;
  /** For the summary: "SMTP mail.example.com:587 (pool of 5)" or "outbox outbox/2026-11-24". */
  readonly description: string;
  /**
   * What became of a message a killed run left in doubt, when the transport can look: the
   * outbox can (its `.eml` is there or not); an SMTP server cannot be asked, so SMTP leaves
   * this out and in-doubt rows stay in doubt.
   */
  settleInDoubt?(message: Message): InDoubtOutcome;
}

/** `delivered`: it was handed over; `not-delivered`: certainly not; `unknown`: cannot be told. */
export type InDoubtOutcome = 'delivered' | 'not-delivered' | 'unknown';

/**
 * What a failed hand-over means for the ledger, decided by the transport that knows its protocol:
 * - `temporary`: certainly not delivered (a 4xx reply, or no connection was ever made); retry.
 * - `permanent`: refused for good (5xx) for this message; `bounce` when it says the mailbox is bad.
 * - `fatal`: nothing can be sent (bad credentials, sender refused, disk full); stop the run.
 * - `unknown`: the connection died while the message was with the server: it may have been
 *   delivered. Never retried automatically (that is how people get two copies).
 */
export type FailureKind = 'temporary' | 'permanent' | 'fatal' | 'unknown';

/** Hands the message over; what went wrong as a DeliveryError (anything unexpected: 'unknown', in doubt). */
export async function handOver(transport: Transport, message: Message): Promise<DeliveryError | null> {
  try {
    await transport.send(message);
    return null;
  } catch (caught) {
    return caught instanceof DeliveryError
      ? caught
      : new DeliveryError('unknown', String((caught as Error)?.message ?? caught));
  }
}

export class DeliveryError extends Error {
  readonly kind: FailureKind;
  readonly bounce: boolean;
  /** The server could not be reached at all: when retries run out, stop the run instead of trying everyone. */
  readonly unreachable: boolean;
  constructor(
    kind: FailureKind,
    message: string,
    options: { bounce?: boolean; unreachable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.kind = kind;
    this.bounce = options.bounce ?? false;
    this.unreachable = options.unreachable ?? false;
  }
}

/**
 * Our `Message` in nodemailer's terms, shared by both transports so the bytes written to the
 * outbox are the bytes sent over SMTP. List headers go through nodemailer's `list` option,
 * which formats and folds the `<url>` lists correctly.
 */
export function toMailOptions(message: Message): SendMailOptions {
  const unsubscribe = [
    message.unsubscribe.url,
    ...(message.unsubscribe.mailto ? [message.unsubscribe.mailto] : []),
  ];
  return {
    from: { name: message.from.name ?? '', address: message.from.address },
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    to: message.to.name ? { name: message.to.name, address: message.to.address } : message.to.address,
    subject: message.subject,
    date: new Date(message.date),
    messageId: message.messageId,
    // Derived boundaries: the same message always encodes to the same bytes (reproducible outbox).
    baseBoundary: createHash('sha256').update(message.messageId).digest('hex').slice(0, 16),
    list: {
      id: { url: message.listId.id, comment: message.listId.name },
      // One header holding both URIs (RFC 2369 lists alternatives in one field).
      unsubscribe: [unsubscribe],
    },
    headers: {
      // RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` to the https URI.
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      // The signed token again, for reports that keep headers but not the envelope (SES, ARF).
      ...(message.trace ? { 'X-Broadsheet-Trace': message.trace } : {}),
    },
    // VERP: bounces come back to an address that names this (edition, subscriber).
    ...(message.returnPath ? { envelope: { from: message.returnPath, to: [message.to.address] } } : {}),
    text: message.text,
    html: message.html,
  };
}
