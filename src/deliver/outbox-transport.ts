import type { Message } from './message.ts';
import { loadNodemailer } from './nodemailer.ts';
import { DeliveryError, type Transport, toMailOptions } from './transport.ts';

export interface OutboxTransportOptions {
  /** Folder shown in the summary, e.g. `outbox/2026-11-24`. */
  folder: string;
  /** Writes one file atomically (temp + rename) under the folder: the CLI passes `writeFileAtomic`. */
  write(fileName: string, bytes: Buffer): void;
  dkim?: { domainName: string; keySelector: string; privateKey: string } | null;
}

/**
 * Writes each message as an `.eml` file instead of sending it (no SMTP_URL configured), so a
 * local run produces real, openable messages. It uses nodemailer's stream transport, so the file
 * holds exactly the bytes SMTP would carry (CRLF line ends, DKIM signature when configured).
 */
export function createOutboxTransport(options: OutboxTransportOptions): Transport {
  const transporter = loadNodemailer().createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
    ...(options.dkim ? { dkim: options.dkim } : {}),
  });
  return {
    description: `outbox ${options.folder}`,
    async send(message: Message): Promise<void> {
      let bytes: Buffer;
      try {
        const info = await transporter.sendMail(toMailOptions(message));
        bytes = info.message as Buffer;
      } catch (error) {
        throw new DeliveryError('permanent', `cannot build message: ${(error as Error).message}`, {
          cause: error,
        });
      }
      try {
        options.write(message.fileName, bytes);
      } catch (error) {
        // The write is atomic, so a failure left nothing behind; but the disk will not take
        // the next one either (full, read-only): stop the run.
        throw new DeliveryError('fatal', `cannot write ${message.fileName}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    },
    async close(): Promise<void> {
      transporter.close();
    },
  };
}
