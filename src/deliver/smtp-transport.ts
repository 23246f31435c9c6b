import type { Message } from './message.ts';
import { loadNodemailer } from './nodemailer.ts';
import { DeliveryError, type Transport, toMailOptions } from './transport.ts';

export interface SmtpTransportOptions {
  /** e.g. `smtp://user:pass@mail.example.com:587` or `smtps://…:465`. */
  url: string;
  maxConnections: number;
  /** Reuse connections (default). False opens one connection per message: only for comparison. */
  pool?: boolean;
  dkim?: { domainName: string; keySelector: string; privateKey: string } | null;
  /** Socket and greeting timeouts in ms (nodemailer's defaults are minutes). */
  timeoutMs?: number;
}

/** Errors of the socket before a session exists: nothing was handed over yet. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface SmtpError extends Error {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

/** A pooled nodemailer SMTP transport: `maxConnections` sessions reused across messages. */
export function createSmtpTransport(options: SmtpTransportOptions): Transport {
  const url = new URL(options.url);
  const timeout = options.timeoutMs ?? 60_000;
  const pooled = options.pool ?? true;
  const transporter = loadNodemailer().createTransport({
    url: options.url,
    // maxRequeues 0: nodemailer's pool otherwise re-sends a message by itself (up to 5 times) when
    // a connection closes mid-send, which is exactly when the server may already have it. Whether
    // to send again is the ledger's decision, never the pool's.
    ...(pooled ? { pool: true as const, maxConnections: options.maxConnections, maxRequeues: 0 } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(options.dkim ? { dkim: options.dkim } : {}),
  });
  return {
    description: `SMTP ${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)} (${pooled ? `pool of ${options.maxConnections}` : 'a connection per message'})`,
    async send(message: Message): Promise<void> {
      try {
        await transporter.sendMail(toMailOptions(message));
      } catch (error) {
        throw classifySmtpError(error as SmtpError);
      }
    },
    async close(): Promise<void> {
      transporter.close();
    },
  };
}

/**
 * Reads a nodemailer error as the ledger needs it. The costly mistake is calling a message
 * "not delivered" when the server may have accepted it, so only errors that prove nothing was
 * accepted are retried: an explicit 4xx reply, or a connection that was never made.
 */
export function classifySmtpError(error: SmtpError): DeliveryError {
  const reply = error.response ? ` (${error.command ?? 'SMTP'}: ${error.response})` : '';
  const text = `${error.message.split(': ')[0]}${reply}`;
  const code = error.responseCode;
  if (error.code === 'EAUTH')
    return new DeliveryError('fatal', `SMTP authentication failed${reply}`, { cause: error });
  if (code && code >= 400 && code < 500) return new DeliveryError('temporary', text, { cause: error });
  if (code && code >= 500) {
    // A refused sender or a broken session is our problem, not the recipient's: stop, bounce nobody.
    if (
      error.command === 'MAIL FROM' ||
      error.command === 'AUTH' ||
      error.command === 'EHLO' ||
      error.command === 'CONN'
    )
      return new DeliveryError('fatal', text, { cause: error });
    // RCPT refusals and 5.1.x/5.2.x (bad or disabled mailbox) count against the address;
    // other 5xx after DATA (e.g. 5.7.1 content policy) fail the message without blaming the address.
    const mailboxProblem = error.command === 'RCPT TO' || /^5\d\d[ -]5\.[12]\.\d/.test(error.response ?? '');
    return new DeliveryError('permanent', text, { bounce: mailboxProblem, cause: error });
  }
  if (error.code === 'EDNS' || (error.originalCode && NOT_CONNECTED.has(error.originalCode)))
    return new DeliveryError('temporary', `cannot connect: ${error.message}`, {
      unreachable: true,
      cause: error,
    });
  if (error.code === 'EENVELOPE' || error.code === 'EMESSAGE')
    return new DeliveryError('permanent', text, { cause: error });
  // ESOCKET, ETIMEDOUT, "Connection closed unexpectedly": the message may be with the server.
  return new DeliveryError('unknown', `connection lost, outcome unknown: ${error.message}`, { cause: error });
}
