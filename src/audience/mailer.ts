import { createHash } from 'node:crypto';
import type { Address } from '../deliver/index.ts';
import { loadNodemailer } from '../deliver/nodemailer.ts';

/** One transactional mail (a signup confirmation): not list mail, so no List-* headers. */
export interface Mail {
  from: Address;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** ISO 8601: the Date header. */
  date: string;
  messageId: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
  readonly description: string;
}

export type MailRoute =
  | { kind: 'smtp'; url: string }
  /** `write` stores one file atomically under the outbox's `signups/` folder (the CLI passes `writeFileAtomic`). */
  | { kind: 'outbox'; folder: string; write: (path: string, bytes: Buffer) => void };

/**
 * Where confirmation mails go: the same choice as `send` makes (SMTP_URL, else the outbox), so a
 * local `serve` writes them as `.eml` files to open, and a real one mails them.
 */
export function createMailer(
  route: MailRoute,
  dkim: { domainName: string; keySelector: string; privateKey: string } | null,
): Mailer {
  const nodemailer = loadNodemailer();
  const signing = dkim ? { dkim } : {};
  if (route.kind === 'smtp') {
    const url = new URL(route.url);
    const transporter = nodemailer.createTransport({
      url: route.url,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
      ...signing,
    });
    return {
      description: `SMTP ${url.hostname}`,
      send: async (mail) => {
        await transporter.sendMail(mailOptions(mail));
      },
      close: () => transporter.close(),
    };
  }
  const transporter = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
    ...signing,
  });
  return {
    description: `outbox ${route.folder}`,
    send: async (mail) => {
      const info = await transporter.sendMail(mailOptions(mail));
      route.write(`${route.folder}/${fileName(mail)}`, info.message as Buffer);
    },
    close: () => transporter.close(),
  };
}

function mailOptions(mail: Mail) {
  return {
    from: { name: mail.from.name ?? '', address: mail.from.address },
    to: mail.to,
    subject: mail.subject,
    date: new Date(mail.date),
    messageId: mail.messageId,
    baseBoundary: createHash('sha256').update(mail.messageId).digest('hex').slice(0, 16),
    // RFC 3834: made by a program (a web form), so auto-responders must not answer it.
    headers: { 'Auto-Submitted': 'auto-generated' },
    text: mail.text,
    html: mail.html,
  };
}

/** `2026-12-04T190000Z-ann_example.org.eml`: sorted by time, named for whom, one per mail. */
function fileName(mail: Mail): string {
  const stamp = mail.date.replace(/[:.]/g, '').replace(/\d{3}Z$/, 'Z');
  const who = mail.to
    .toLowerCase()
    .replace(/[^a-z0-9@._+-]/g, '_')
    .slice(0, 120);
  const hash = createHash('sha256').update(mail.messageId).digest('hex').slice(0, 8);
  return `${stamp}-${hash}-${who}.eml`;
}
