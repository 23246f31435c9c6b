/**
 * Rules per reporting MTA. The same words mean different things from different servers: a
 * filtering gateway that says "no such user" without saying at which SMTP stage it was told so
 * is not a server refusing an address at RCPT. Sisimai (github.com/sisimai, BSD-2-Clause), whose
 * corpus we score against, reads each server's reports with its own parser (lib/Sisimai/Lhost);
 * these are the rules of those parsers that change a verdict, each keyed on the server's own
 * report template (headers it always adds, the fixed wording of its notice), never on a sample.
 */

/** What identifies a report's origin: its raw header block (unfolded) and its text, lower-cased. */
export interface ReportView {
  /** Header name (lower-cased) -> value(s), unfolded. */
  headers: Map<string, string[]>;
  subject: string;
  from: string;
  /** The report text up to the returned original, whitespace collapsed, lower-cased. */
  flat: string;
}

export interface MtaVerdict {
  kind: 'hard' | 'soft';
  reason: string;
}

export interface ReportingMta {
  name: string;
  /**
   * The report names no SMTP stage (a gateway quoting the next hop's reply): user-unknown words
   * are about the address only under an X.1.x status, as Sisimai reads a refusal of unknown stage.
   */
  stageless?: (report: ReportView) => boolean;
  /** The MTA's own verdict, when its report carries one (a category field, a fixed phrase). */
  verdict?: (report: ReportView) => MtaVerdict | null;
}

/**
 * PowerMTA's `X-PowerMTA-BounceCategory` (its documented bounce categories); only a missing
 * domain or mailbox is hard, the rest (quota, policy, spam, routing, no answer) can pass later.
 */
const POWERMTA_HARD = new Set(['bad-domain', 'bad-mailbox']);

function powerMtaVerdict(report: ReportView): MtaVerdict | null {
  const category = /x-powermta-bouncecategory:\s*([\w-]+)/.exec(report.flat)?.[1];
  if (!category) return null;
  return {
    kind: POWERMTA_HARD.has(category) ? 'hard' : 'soft',
    reason: `PowerMTA bounce category ${category}`,
  };
}

/**
 * Amazon SES receiving answers "550 5.1.1 Mailbox does not exist" when no receipt rule of the
 * receiving account takes the address: a rule set, not proof the mailbox is gone (Sisimai:
 * "filtered"). Its other fixed replies (full, too large, content) are soft anyway.
 */
function receivingSesVerdict(report: ReportView): MtaVerdict | null {
  return report.flat.includes('mailbox does not exist')
    ? { kind: 'soft', reason: 'Amazon SES receiving: no receipt rule takes the address' }
    : null;
}

/**
 * Zoho Mail writes the next hop's codes as "ERROR_CODE :550, ERROR_CODE :5.1.1 <address>... User
 * Unknown": an address status there is the address refused.
 */
function zohoVerdict(report: ReportView): MtaVerdict | null {
  const status = /error_code :([45]\.\d{1,3}\.\d{1,3})/.exec(report.flat)?.[1];
  return status && /^[45]\.1\.1$/.test(status)
    ? { kind: 'hard', reason: `Zoho Mail error code ${status}` }
    : null;
}

/**
 * Exchange 2000/2003 (Internet Mail Service) names each failure by a MAPI error code;
 * 000C05A6 is "Unknown Recipient". Codes for size, relaying, hops, conversion, AUTH and an
 * ambiguous recipient are about this message. Without a code the notice gives no stage.
 */
const EXCHANGE_SOFT_CODES = [
  '000b099c',
  '000b09aa',
  '000b09b6',
  '00010256',
  '000d06b5',
  '00120270',
  '00050311',
  '000502cc',
  '000b0981',
  '000c0595',
];

function exchange2003Verdict(report: ReportView): MtaVerdict | null {
  if (/\b000c05a6\b/.test(report.flat))
    return { kind: 'hard', reason: 'Exchange error 000C05A6: unknown recipient' };
  const code = EXCHANGE_SOFT_CODES.find((c) => new RegExp(`\\b${c}\\b`).test(report.flat));
  return code ? { kind: 'soft', reason: `Exchange error ${code.toUpperCase()}` } : null;
}

function isExchange2003(report: ReportView): boolean {
  const mailer = header(report, 'x-mailer').trim();
  return (
    report.headers.has('x-ms-embedded-report') ||
    mailer.startsWith('internet mail service (') ||
    mailer.startsWith('microsoft exchange server internet mail connector') ||
    header(report, 'x-mimeole').trim().startsWith('produced by microsoft exchange') ||
    header(report, 'received').includes(' with internet mail service (')
  );
}

/**
 * Yahoo's notice reads "<address>: Remote host said: <reply> [RCPT_TO]"; Sisimai takes the
 * refusal as one at RCPT when the reply names the address or the stage, else as of no stage.
 */
function yahooReplyNamesNoAddress(report: ReportView): boolean {
  const reply =
    /unable to deliver your message to the following address\.? <[^<>]+>:(.*)/.exec(report.flat)?.[1] ?? '';
  return !/<[^<>\s]+@[^<>\s]+>|\[rcpt_to\]/.test(reply);
}

const always = (): boolean => true;

function header(report: ReportView, name: string): string {
  return (report.headers.get(name) ?? []).join('\n');
}

/** Each MTA: how its report is recognised (as Sisimai's parser recognises it) and its rules. */
const MTAS: readonly (ReportingMta & { recognise: (report: ReportView) => boolean })[] = [
  {
    name: 'PowerMTA',
    recognise: (r) => r.subject.includes('delivery report') && r.flat.includes('x-powermta-'),
    verdict: powerMtaVerdict,
  },
  {
    name: 'Amazon SES receiving',
    recognise: (r) =>
      r.headers.has('x-ses-outgoing') && r.flat.includes('this message could not be delivered.'),
    verdict: receivingSesVerdict,
  },
  // Filtering gateways and relays whose notice quotes the next hop's reply with no stage.
  { name: 'Active!hunter', stageless: always, recognise: (r) => r.headers.has('x-ahmailid') },
  {
    name: 'MailFoundry',
    stageless: always,
    recognise: (r) =>
      r.subject === 'message delivery has failed' && header(r, 'received').includes('(mailfoundry) id'),
  },
  {
    name: 'SurfControl',
    stageless: always,
    recognise: (r) => header(r, 'x-mailer').trim() === 'surfcontrol e-mail filter',
  },
  {
    name: 'MXLogic',
    stageless: always,
    recognise: (r) =>
      ['x-mx-bounce', 'x-mxl-hash', 'x-mxl-notehash'].some((name) => r.headers.has(name)) ||
      /@[\w.-]*\bmxlogic\.net\b/.test(r.from),
  },
  {
    // Its notice lists the envelope ("RCPT TO: <address>") under "Message details": a field,
    // not the stage the refusal came at.
    name: 'Apache James',
    stageless: always,
    recognise: (r) =>
      header(r, 'message-id').includes('javamail') &&
      r.flat.includes('error message below:') &&
      r.flat.includes('message details:'),
  },
  {
    name: 'Zoho Mail',
    stageless: always,
    verdict: zohoVerdict,
    recognise: (r) => r.headers.has('x-zohomail'),
  },
  { name: 'Exchange 2003', stageless: always, verdict: exchange2003Verdict, recognise: isExchange2003 },
  { name: 'Yahoo', stageless: yahooReplyNamesNoAddress, recognise: (r) => r.headers.has('x-ymailisg') },
  {
    // The old Yahoo! Japan-style notice Sisimai calls "X2": "Unable to deliver message to the
    // following address(es).", then "<address>:" and the reason, then "--- Original message follows."
    name: 'X2',
    stageless: always,
    recognise: (r) =>
      /^(delivery failure|failure delivery|failed delivery)/.test(r.subject) &&
      r.flat.includes('unable to deliver message to the following address'),
  },
  {
    // An unnamed relay Sisimai calls "X1": subject "Returned Mail: ", sender "Mail Deliver System".
    name: 'X1',
    stageless: always,
    recognise: (r) => r.subject.startsWith('returned mail: ') && r.from.startsWith('"mail deliver system"'),
  },
];

/** The rules of the MTA that wrote this report, if it is one we have rules for. */
export function reportingMta(report: ReportView): ReportingMta | null {
  return MTAS.find((mta) => mta.recognise(report)) ?? null;
}

/** Raw header block -> lower-cased name -> unfolded values, for recognising a report's origin. */
export function headerMap(raw: Buffer): Map<string, string[]> {
  const text = raw.toString('latin1').replace(/\r\n?/g, '\n');
  const end = text.indexOf('\n\n');
  const block = (end < 0 ? text : text.slice(0, end)).replace(/\n[ \t]+/g, ' ').toLowerCase();
  const headers = new Map<string, string[]>();
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return headers;
}
