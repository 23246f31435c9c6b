import { createHash } from 'node:crypto';
import type { RenderedEmail } from '../newsletter/index.ts';
import { cleanLabel } from '../normalize/text.ts';
import { escapeHtml } from '../render/html.ts';
import { cutAtLinks, fillLinks, type LinkSlots } from './link-slots.ts';

export interface Address {
  name: string | null;
  address: string;
}

/**
 * One message to one person, as plain values: everything a transport needs and nothing it has
 * to look up. Built by `buildMessage`, sent by a `Transport`, recorded by the sender.
 */
export interface Message {
  from: Address;
  replyTo: string | null;
  to: Address;
  subject: string;
  /** The send time (RFC 5322 Date), ISO 8601. */
  date: string;
  /** `<...@...>`, stable per (edition, subscriber): a resend carries the same id, so clients can fold copies. */
  messageId: string;
  /** RFC 2919: the list's identifier (a domain-like string) and its display name. */
  listId: { id: string; name: string };
  /** RFC 2369 / RFC 8058: the one-click https URL and an optional mailto address. */
  unsubscribe: { url: string; mailto: string | null };
  html: string;
  text: string;
  /** A name for the message on disk (outbox), unique within the edition. */
  fileName: string;
  /** VERP envelope sender and the signed token it carries (see bounces/verp.ts); null for test copies. */
  returnPath?: string | null;
  trace?: string | null;
}

export interface Recipient {
  /** Subscriber id; 0 for a `--test-to` address that is not on the list. */
  id: number;
  email: string;
  name: string | null;
}

export interface MessageSettings {
  from: Address;
  replyTo: string | null;
  listId: string;
  listName: string;
  unsubscribeMailto: string | null;
}

/**
 * Fills one recipient into an edition's rendered email. The only per-recipient parts of the body
 * are the unsubscribe and preferences links, so this is string replacement, never a re-render.
 */
export function buildMessage(input: {
  rendered: RenderedEmail;
  editionId: string;
  recipient: Recipient;
  settings: MessageSettings;
  unsubscribeUrl: string;
  /** The signed "manage your subscription" link; the unsubscribe link stands in when not given. */
  preferencesUrl?: string;
  date: string;
  messageId?: string;
  trace?: { returnPath: string; token: string } | null;
}): Message {
  const { rendered, recipient, settings, unsubscribeUrl } = input;
  const preferencesUrl = input.preferencesUrl ?? unsubscribeUrl;
  const messageId = input.messageId ?? messageIdFor(input.editionId, recipient.id, settings.listId);
  const cut = linkSlotsOf(rendered);
  return {
    from: { ...settings.from, name: headerName(settings.from.name) },
    replyTo: settings.replyTo,
    to: { name: headerName(recipient.name), address: recipient.email },
    subject: cleanLabel(rendered.subject),
    date: input.date,
    messageId,
    listId: { id: settings.listId, name: cleanLabel(settings.listName) },
    unsubscribe: {
      url: unsubscribeUrl,
      mailto: settings.unsubscribeMailto ? `mailto:${settings.unsubscribeMailto}?subject=unsubscribe` : null,
    },
    // The HTML gets the URL escaped (an `&` in a configured URL must be `&amp;` in an attribute).
    html: fillLinks(cut.html, {
      unsubscribe: escapeHtml(unsubscribeUrl),
      preferences: escapeHtml(preferencesUrl),
    }),
    text: fillLinks(cut.text, { unsubscribe: unsubscribeUrl, preferences: preferencesUrl }),
    fileName: outboxFileName(recipient),
    returnPath: input.trace?.returnPath ?? null,
    trace: input.trace?.token ?? null,
  };
}

/** Each rendered edition is cut at its links once, however many recipients it is filled for. */
const cutRenders = new WeakMap<RenderedEmail, { html: LinkSlots; text: LinkSlots }>();

function linkSlotsOf(rendered: RenderedEmail): { html: LinkSlots; text: LinkSlots } {
  const cached = cutRenders.get(rendered);
  // Compared by value too: a render changed after its first use is cut again, never filled stale.
  if (cached && cached.html.body === rendered.html && cached.text.body === rendered.text) return cached;
  const cut = { html: cutAtLinks(rendered.html), text: cutAtLinks(rendered.text) };
  cutRenders.set(rendered, cut);
  return cut;
}

/**
 * Text that becomes a header is one line with no controls and no reordering bidi controls,
 * whatever its source (config, an old state file, a template): the last place to catch it.
 */
function headerName(name: string | null): string | null {
  return name === null ? null : cleanLabel(name) || null;
}

/**
 * `<edition.hash@listId>`: derived, not random, so a rerun after a crash (or an explicit resend
 * of an in-doubt message) carries the same Message-ID and receiving systems can see it is the
 * same message. The hash hides the subscriber id from the recipient.
 */
export function messageIdFor(editionId: string, subscriberId: number, listId: string): string {
  const hash = createHash('sha256').update(`${editionId}\n${subscriberId}`).digest('hex').slice(0, 24);
  return `<${dotAtom(editionId)}.${hash}@${dotAtom(listId)}>`;
}

/** Message-ID parts must be dot-atom text (RFC 5322 §3.6.4). */
function dotAtom(value: string): string {
  return value.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '-').replace(/^\.+|\.+$/g, '') || 'x';
}

function outboxFileName(recipient: Recipient): string {
  // Cut to stay well inside the 255-byte file name limit (addresses may be 254 characters).
  const safe = recipient.email
    .toLowerCase()
    .replace(/[^a-z0-9@._+-]/g, '_')
    .slice(0, 200);
  return `${String(recipient.id).padStart(6, '0')}-${safe}.eml`;
}
