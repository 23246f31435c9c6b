import type { AddressObject } from 'mailparser';
import { AUTO_REPLY_SUBJECT, HARD_DOMAIN, HARD_USER, HARD_USER_ANYWHERE, SOFT_FIRST } from './phrases.ts';
import { headerMap, reportingMta } from './reporting-mta.ts';
import { sesVerdict } from './ses.ts';

/**
 * What a report in the bounce mailbox means for the list:
 * - `hard`: the address (or its domain) does not exist; the subscriber is bounced at once.
 * - `soft`: the mailbox exists but refused or could not take this message (full, suspended,
 *   spam filter, policy, timeout); counted, and N in a row bounce the subscriber.
 * - `complaint`: a feedback-loop report (ARF, RFC 5965): the person marked us as spam.
 * - `not-bounce`: an auto-reply, a delivery receipt, a human reply: changes nothing.
 */
export type BounceKind = 'hard' | 'soft' | 'complaint' | 'not-bounce';

export interface BounceVerdict {
  kind: BounceKind;
  /** The refused address as the report names it (Final-Recipient, or the complainant), if any. */
  recipient: string | null;
  /** The enhanced status code (RFC 3463), e.g. "5.1.1", when the report carries one. */
  status: string | null;
  /** ARF Feedback-Type (abuse, opt-out, auth-failure, ...) for a complaint. */
  feedbackType: string | null;
  /** Why: the phrase or code that decided it, for the import summary. */
  reason: string;
}

/** DSN actions that say the message got through (RFC 3464 §2.3.3): receipts, not bounces. */
const SUCCESS_ACTIONS = new Set(['delivered', 'relayed', 'expanded']);

const BOUNCE_SENDER =
  /mailer[-_ ]?daemon|postmaster|mail delivery|maildelivery|mail administrator|mdaemon|mail_?sys/i;
const BOUNCE_SUBJECT =
  /undeliver|undelivered|delivery (status )?notification|returned mail|failure notice|delivery fail|could not be delivered|couldn't be delivered|mail delivery|non[- ]?deliver|not delivered|returned to sender|delivery problem|delivery report|rejected|bounce|failed|failure|error|unzustellbar|warning: message|mail system error|nicht zustellbar|message status/i;

/** Words of a failure notice from a sender that calls itself something else ("no-reply"). */
const BOUNCE_BODY =
  /requested action not taken|could not be delivered|couldn't be delivered|undeliverable|delivery (has )?failed|permanent (fatal )?error|was not delivered|delivery to the following recipient/i;

/**
 * Where the returned original starts in a report whose parts are not MIME-labelled (qmail,
 * old Sendmail, many appliances): everything after it is the message we sent, whose words
 * ("unknown", "full", a reader's own text) must not decide anything.
 */
const ORIGINAL_MARKER =
  /^[\s>|-]*(?:-{2,}\s*)?(?:below this line is a copy of the message|this is a copy of the message|this is a copy of the headers|original message follows|original message headers|unsent message follows|returned message follows|undelivered message follows|returned mail follows|message headers follow|content-type: message\/rfc822|content-type: text\/rfc822-headers|-+ ?original message ?-+|\[original message|your message reads)/im;

/**
 * Reads one message from the bounce mailbox and says what it reports. MIME parsing (charsets,
 * base64 and quoted-printable parts, the returned original as a `message/rfc822` part) is
 * mailparser's; deciding what the text means is ours.
 */
export async function classifyReport(raw: Buffer): Promise<BounceVerdict> {
  // Imported here, not at the top: mailparser (and its charset tables) take ~0.2 s to load, and
  // every build loads this folder for `traceFor` alone.
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(normalizeNewlines(raw), {
    skipHtmlToText: false,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
  });
  const contentType = parsed.headers.get('content-type') as
    | { value: string; params: Record<string, string> }
    | undefined;
  const reportType = (contentType?.params?.['report-type'] ?? '').toLowerCase();
  const subject = parsed.subject ?? '';
  const from = addressText(parsed.from);
  const reportParts = parsed.attachments
    .filter((a) => /^(message|text)\/(global-)?(delivery-status|feedback-report)$/i.test(a.contentType))
    .map((a) => a.content.toString('utf8'));
  // A "multipart" report whose boundaries never appear parses to nothing: read its raw body.
  const text = parsed.text?.trim() ? parsed.text : rawBody(raw);
  const body = cutOriginal(`${text}\n${reportParts.join('\n')}`);
  const fields = readReportFields(body);

  const ses = sesVerdictInBody(parsed.text ?? '');
  if (ses) return ses;
  const feedback = /^feedback-type:\s*([\w-]+)/im.exec(body);
  // Hotmail/Outlook's JMRP reports are not ARF: the complained-of message with this header.
  const jmrp = /^x-hmxmroriginalrecipient:\s*(\S+)/im.exec(raw.toString('latin1'));
  // Apple Mail's "unsubscribe" button mails the list with this header: an opt-out request.
  if (/^true$/i.test(String(parsed.headers.get('x-apple-unsubscribe') ?? '')))
    return {
      kind: 'complaint',
      recipient: null,
      status: null,
      feedbackType: 'opt-out',
      reason: 'Apple Mail unsubscribe',
    };
  if (reportType === 'feedback-report' || feedback || jmrp || parsed.attachments.some(isFeedbackPart)) {
    return {
      kind: 'complaint',
      recipient: fields.originalRcpt ?? jmrp?.[1] ?? fields.finalRecipient,
      status: null,
      feedbackType: (feedback?.[1] ?? 'abuse').toLowerCase(),
      reason: `feedback report (${(feedback?.[1] ?? 'abuse').toLowerCase()})`,
    };
  }

  const isDsn = reportType === 'delivery-status' || fields.actions.length > 0 || fields.status !== null;
  const nullSender = /^<\s*>$/.test(String(parsed.headers.get('return-path') ?? '').trim());
  const looksLikeBounce =
    isDsn || BOUNCE_SENDER.test(from) || BOUNCE_SUBJECT.test(subject) || nullSender || BOUNCE_BODY.test(body);
  const autoReply =
    AUTO_REPLY_SUBJECT.test(subject) || isAutoReplyHeader(parsed.headers.get('auto-submitted'));
  if (!looksLikeBounce || (autoReply && !isDsn && !BOUNCE_SENDER.test(from)))
    return notBounce(autoReply ? 'auto-reply' : 'not a delivery report');
  if (fields.actions.length > 0 && fields.actions.every((a) => SUCCESS_ACTIONS.has(a)))
    return notBounce(`delivery receipt (${fields.actions[0]})`);

  const flat = flatten(body);
  const status = fields.status ?? findStatusCode(flat);
  if (status?.startsWith('2.')) return notBounce(`success status ${status}`);
  const base = { recipient: fields.finalRecipient, status, feedbackType: null };
  const view = { headers: headerMap(raw), subject: subject.toLowerCase(), from: from.toLowerCase(), flat };
  const mta = reportingMta(view);
  const mtaVerdict = mta?.verdict?.(view);
  if (mtaVerdict) return { ...base, ...mtaVerdict };
  const diagnostic = flatten(fields.diagnostic ?? '');
  // A stageless report (a gateway quoting the next hop) tells nothing by the words "RCPT TO".
  const stageless = mta?.stageless?.(view) ?? false;
  const atRcpt = !stageless && AT_RCPT.test(flat);
  const context: Context = {
    // "User unknown" said about the address (at RCPT, or with no sign it came after DATA).
    aboutAddress: atRcpt || (!stageless && !AFTER_DATA.test(flat)),
    atRcpt,
    // A report's Status is often the catch-all X.0.0 while the server's own reply carries the
    // code that means something ("550 5.7.1 User unknown": a policy speaking).
    status: specificStatus(status, diagnostic),
    addressCodeInText: ADDRESS_CODE_IN_TEXT.test(flat),
    stageless,
  };
  const decided =
    decide(diagnostic, context) ??
    decideByStatus(status) ??
    decide(firstRecipientText(flat, fields.finalRecipient), context) ??
    decide(flat, context);
  return {
    ...base,
    ...(decided ?? { kind: 'soft', reason: status ? `status ${status}` : 'undetermined failure' }),
  };
}

/**
 * A refusal "in reply to end of DATA" came after the server had accepted the recipient: a
 * content filter speaking, whatever words it uses, unless the status code says the address.
 */
const AFTER_DATA =
  /in reply to end of data|after end of data|in reply to data command|>>> data|smtp command:? data\b|-+ ?smtp command data/;

/** The refusal came in reply to RCPT TO: the server judged the address itself. */
const AT_RCPT = /rcpt to|in reply to rcpt|>>> rcpt|after rcpt|rcpt command|\[rcpt_to\]/;

interface Context {
  aboutAddress: boolean;
  atRcpt: boolean;
  /** The reporting server's template names no stage: only an address status makes it hard. */
  stageless: boolean;
  status: string | null;
  /** An address status (5.1.1 ...) appears in the report's own text. */
  addressCodeInText: boolean;
}

function decide(text: string, context: Context): { kind: 'hard' | 'soft'; reason: string } | null {
  if (text === '') return null;
  const soft = SOFT_FIRST.find((phrase) => text.includes(phrase));
  if (soft) return { kind: 'soft', reason: soft };
  const domain = HARD_DOMAIN.find((phrase) => text.includes(phrase));
  if (domain) return { kind: 'hard', reason: domain };
  const user = HARD_USER.find((phrase) => text.includes(phrase));
  if (!user) return null;
  const { status } = context;
  // "User unknown" under a mailbox (X.2.x) or policy (X.7.x) code, not at RCPT: a filter or
  // a disabled mailbox using the words, as Sisimai reads it too ("filtered").
  if (!context.atRcpt && status && POLICY_STATUS.test(status))
    return { kind: 'soft', reason: `${user} (status ${status}: the mailbox or a policy, not the address)` };
  if (context.aboutAddress || (status && ADDRESS_STATUS.test(status)) || context.addressCodeInText)
    return { kind: 'hard', reason: user };
  if (context.stageless)
    return { kind: 'soft', reason: `${user} (no stage and no address status: a filter)` };
  const plain = HARD_USER_ANYWHERE.find((phrase) => text.includes(phrase));
  if (plain) return { kind: 'hard', reason: plain };
  return { kind: 'soft', reason: `${user} (after DATA, no address status: a filter)` };
}

/** Mailbox status (X.2.x: disabled, full) and security or policy status (X.7.x). */
const POLICY_STATUS = /^[45]\.(?:2|7)\.\d{1,3}$/;

/** "550 5.1.1 <x>... User unknown" quoted in the report's transcript. */
const ADDRESS_CODE_IN_TEXT = /(?:^|\s)[45]\.1\.1(?:\s|$)/;

/** The Status, or the more specific code in the server's reply when the Status is X.0.0. */
function specificStatus(status: string | null, diagnostic: string): string | null {
  if (status && !/^[45]\.0\.0$/.test(status)) return status;
  return findStatusCode(diagnostic) ?? status;
}

/**
 * The lines about one recipient in a report that lists several ("a@x: 550 user unknown",
 * "b@x: 552 mailbox full"): the verdict is about the first failed recipient, not whichever
 * phrase comes first in the list.
 */
function firstRecipientText(flat: string, recipient: string | null): string {
  if (!recipient) return '';
  const at = flat.indexOf(recipient.toLowerCase());
  if (at < 0) return '';
  const rest = flat.slice(at + recipient.length);
  const next = /[^\s<>"()[\]:;,]+@[^\s<>"()[\]:;,]+/g;
  for (const match of rest.matchAll(next)) {
    if (match[0].replace(/[.>]+$/, '') !== recipient.toLowerCase()) return rest.slice(0, match.index);
  }
  return rest;
}

/**
 * "Bad destination mailbox address" (X.1.1), "bad destination system" (X.1.2), "bad
 * destination mailbox syntax" (X.1.3), "destination mailbox moved" (X.1.6), "no mail accepted
 * by this domain" (X.1.10): RFC 3463 and RFC 7505. And 5.4.4, "unable to route": no host
 * serves the domain.
 */
const ADDRESS_STATUS = /^(?:[45]\.1\.(?:1|2|3|6|10)|5\.4\.4)$/;

function decideByStatus(status: string | null): { kind: 'hard'; reason: string } | null {
  return status && ADDRESS_STATUS.test(status) ? { kind: 'hard', reason: `status ${status}` } : null;
}

function flatten(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Amazon SES can also deliver its notifications by email: the JSON (or the SNS envelope
 * holding it) is the body, often with its long lines folded.
 */
function sesVerdictInBody(text: string): BounceVerdict | null {
  if (!/"(notificationType|eventType)\\?"/.test(text)) return null;
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  try {
    const json = JSON.parse(text.slice(start, end + 1).replace(/\n /g, '')) as Record<string, unknown>;
    const inner = typeof json.Message === 'string' ? JSON.parse(json.Message) : json;
    return sesVerdict(inner)[0] ?? null;
  } catch {
    return null;
  }
}

function rawBody(raw: Buffer): string {
  const text = raw.toString('utf8').replace(/\r\n?/g, '\n');
  const start = text.indexOf('\n\n');
  return start < 0 ? '' : text.slice(start + 2);
}

function notBounce(reason: string): BounceVerdict {
  return { kind: 'not-bounce', recipient: null, status: null, feedbackType: null, reason };
}

/** Old Mac mail (bare CR) and CRLF both become LF, so line-based reading works on any of them. */
function normalizeNewlines(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  if (!text.includes('\r')) return raw;
  return Buffer.from(text.replace(/\r\n?/g, '\n'), 'latin1');
}

function addressText(address: AddressObject | AddressObject[] | undefined): string {
  if (!address) return '';
  return (Array.isArray(address) ? address : [address]).map((a) => a.text).join(', ');
}

function isFeedbackPart(part: { contentType: string }): boolean {
  return /^message\/feedback-report$/i.test(part.contentType);
}

function isAutoReplyHeader(value: unknown): boolean {
  return typeof value === 'string' && /^auto-replied/i.test(value.trim());
}

/** The report up to where the returned original begins. */
function cutOriginal(text: string): string {
  const match = ORIGINAL_MARKER.exec(text);
  return match ? text.slice(0, match.index) : text;
}

interface ReportFields {
  actions: string[];
  /** Of the first recipient that failed: its Status, Diagnostic-Code and Final-Recipient. */
  status: string | null;
  diagnostic: string | null;
  finalRecipient: string | null;
  originalRcpt: string | null;
}

/**
 * The machine-readable fields of a DSN (RFC 3464) or ARF report, where present, unfolded.
 * Per-recipient blocks are separated by blank lines; a forwarded report may quote them with "> ".
 */
function readReportFields(text: string): ReportFields {
  const unfolded = text.replace(/^>[ \t]?/gm, '').replace(/\n[ \t]+/g, ' ');
  const blocks = unfolded.split(/\n\s*\n/).map(readFields);
  const recipients = blocks.filter((b) => b.has('final-recipient') || b.has('action') || b.has('status'));
  const failed = recipients.find((b) => !SUCCESS_ACTIONS.has(firstWord(b.get('action')))) ?? recipients[0];
  const all = (name: string) => blocks.flatMap((b) => (b.has(name) ? [b.get(name) ?? ''] : []));
  return {
    actions: recipients.filter((b) => b.has('action')).map((b) => firstWord(b.get('action'))),
    status: /^([245]\.\d{1,3}\.\d{1,3})/.exec(failed?.get('status') ?? '')?.[1] ?? null,
    diagnostic: failed?.get('diagnostic-code')?.replace(/^[\w-]+\s*;\s*/, '') ?? null,
    finalRecipient: address(failed?.get('final-recipient') ?? failed?.get('original-recipient')),
    originalRcpt: address(all('original-rcpt-to')[0] ?? all('removal-recipient')[0]),
  };
}

function readFields(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const match of block.matchAll(/^([A-Za-z][\w-]*):[ \t]*(.*)$/gm)) {
    const name = (match[1] ?? '').toLowerCase();
    if (!fields.has(name)) fields.set(name, (match[2] ?? '').trim());
  }
  return fields;
}

function firstWord(value: string | undefined): string {
  return (value ?? '').toLowerCase().split(/[\s(]/)[0] ?? '';
}

function address(value: string | undefined): string | null {
  if (!value) return null;
  const bare = value
    .replace(/^[\w-]+\s*;\s*/, '')
    .replace(/^<|>$/g, '')
    .trim();
  return /^[^\s@]+@[^\s@]+$/.test(bare) ? bare : null;
}

/** An enhanced status code in free text ("550 5.1.1 <x>: user unknown"), permanent or temporary. */
function findStatusCode(text: string): string | null {
  return /(?:^|[\s(#[-])([45]\.\d{1,3}\.\d{1,3})(?![\d.]*\d)/.exec(text)?.[1] ?? null;
}
