import {
  closeSync,
  createReadStream,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';

export interface MailboxMessage {
  /** Where it came from, for messages to the user: `bounces.mbox#12` or `Maildir/new/123.host`. */
  origin: string;
  raw: Buffer;
}

/**
 * The messages of a bounce mailbox: an mbox file (read by mbox-reader, which undoes the
 * ">From " quoting), a Maildir (its `new/` and `cur/` folders), a folder of `.eml` files,
 * or one `.eml` file. In name order, so a run's output is stable.
 */
export async function* readMailbox(path: string): AsyncGenerator<MailboxMessage> {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    const maildir = ['new', 'cur'].filter((sub) => isDirectory(join(path, sub)));
    const folders = maildir.length > 0 ? maildir.map((sub) => join(path, sub)) : [path];
    for (const folder of folders)
      for (const name of readdirSync(folder).sort()) {
        const file = join(folder, name);
        if (name.startsWith('.') || !statSync(file).isFile()) continue;
        yield { origin: file, raw: readFileSync(file) };
      }
    return;
  }
  if (firstBytes(path, 5) !== 'From ') {
    yield { origin: path, raw: readFileSync(path) };
    return;
  }
  // Loaded only for an mbox: every build loads this folder (see classify.ts).
  const { mboxReader } = await import('mbox-reader');
  let index = 0;
  for await (const message of mboxReader(createReadStream(path))) {
    index++;
    yield { origin: `${path}#${index}`, raw: message.content };
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function firstBytes(path: string, count: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(count);
    return buffer.subarray(0, readSync(fd, buffer, 0, count, 0)).toString('latin1');
  } finally {
    closeSync(fd);
  }
}
