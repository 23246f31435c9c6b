import { readFileSync } from 'node:fs';
import type { Message } from './message.ts';
import { loadNodemailer } from './nodemailer.ts';
import { DeliveryError, type InDoubtOutcome, type Transport, toMailOptions } from './transport.ts';

export interface OutboxTransportOptions {
  /** Folder shown in the summary, e.g. `outbox/2026-11-24`. */
  folder: string;
  /** Writes one file atomically (temp + rename) under the folder: the CLI passes `writeFileAtomic`. */
  write(fileName: string, bytes: Buffer): void;
  /** Reads one file under the folder, or null when there is none (`readFileIfExists`). */
  read?(fileName: string): Buffer | null;
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
    settleInDoubt(message: Message): InDoubtOutcome {
      if (!options.read) return 'unknown';
      return outboxHolds(options.read(message.fileName), message.messageId);
    },
    async close(): Promise<void> {
      transporter.close();
    },
  };
}

/**
 * Files are written whole or not at all (temp file, then rename), so a killed run that left a
 * row in doubt either wrote the message's `.eml` (delivered: settle it as sent, never write it
 * again) or did not (it never left: send it). A file of another message at that name (a
 * different Message-ID) settles nothing.
 */
function outboxHolds(bytes: Buffer | null, messageId: string): InDoubtOutcome {
  if (bytes === null) return 'not-delivered';
  const headerEnd = bytes.indexOf('\r\n\r\n');
  const headers = bytes.toString('utf8', 0, headerEnd < 0 ? bytes.length : headerEnd);
  const found = /^Message-ID:\s*(<[^>\r\n]*>)/im.exec(headers.replace(/\r\n[ \t]+/g, ' '));
  return found?.[1] === messageId ? 'delivered' : 'unknown';
}

/** The file's bytes, or null when it does not exist (any other error is thrown). */
export function readFileIfExists(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
