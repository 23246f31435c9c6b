import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config/index.ts';
import { pageHtml, readBody, sendHtml } from '../deliver/http-page.ts';
import { normalizeEmail, signedToken, tokenSubscriberId, verifySignedToken } from '../deliver/index.ts';
import { escapeHtml } from '../render/html.ts';
import { fillHtml, messagesFor, signupFormHtml } from '../render/index.ts';
import type { PendingSignup } from '../state/index.ts';
import type { DeliveryStore } from '../state/store/index.ts';
import { rateLimitKey } from './client-address.ts';
import type { ConfirmationMail } from './confirmation-mail.ts';

/** Confirmation links: their own token context, bound to the pending signup's id and address. */
const CONFIRM_CONTEXT = 'broadsheet-signup-confirm-v1';

export function confirmationToken(secret: string, signupId: number, email: string): string {
  return signedToken(CONFIRM_CONTEXT, secret, signupId, email);
}

export interface SignupLimits {
  pendingDays: number;
  mailIntervalMinutes: number;
  perClientPerHour: number;
  perAddressPerDay: number;
}

export interface SignupHandlerOptions {
  /** Pending signups, rate-limit counts and the list: SQLite, or PostgreSQL with BROADSHEET_DATABASE_URL. */
  store: DeliveryStore;
  /** The signing secret (the one unsubscribe links use). */
  secret: string;
  /** URL path answered, e.g. `/subscribe`: POST a signup; GET/POST `?t=` the confirmation. */
  path: string;
  /** The endpoint's public URL, for the link in the mail (`signupEndpoint(config)`). */
  endpoint: URL;
  siteTitle: string;
  language?: string;
  /** Topics a reader may choose; unknown ones in a request are dropped. */
  topics: { slug: string; name: string }[];
  limits: SignupLimits;
  /** Renders the confirmation mail for an address and link. */
  renderMail(email: string, confirmUrl: string): Promise<ConfirmationMail>;
  /** Sends it (SMTP or the outbox). */
  sendMail(to: string, mail: ConfirmationMail, signupId: number): Promise<void>;
  /** ISO timestamp: signup times, expiry, rate-limit windows. */
  now(): string;
  /**
   * The client's address (the socket's, or a trusted proxy's `X-Forwarded-For`: `clientAddressFrom`).
   * The limit counts IPv6 clients per /64 and IPv4-mapped addresses as IPv4 (`rateLimitKey`).
   */
  clientAddress(req: IncomingMessage): string;
  log?(message: string): void;
}

/**
 * The signup endpoint, mounted like the unsubscribe one (`if (await handle(req, res)) return;`).
 *
 * - POST (form fields `email`, `topic`…, honeypot `website`): one answer, "check your inbox",
 *   whether the address is new, pending, on the list or suppressed, so the form tells nobody who
 *   is subscribed. Only a new or pending, unsuppressed address gets a mail, at most one per
 *   `mailIntervalMinutes`; the mail goes out after the answer, so its time tells nothing either.
 * - Too many signups from one client or for one address: 429 (that reveals nothing about the list).
 * - GET `?t=`: a page with a button (link scanners GET every link and must confirm nobody);
 *   POST `?t=`: confirms. GET without a token: a page with the form.
 */
export function createSignupHandler(
  options: SignupHandlerOptions,
): ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) & { idle(): Promise<void> } {
  const language = options.language ?? 'en';
  const t = messagesFor(language);
  const page = (heading: string, body: string) => pageHtml(options.siteTitle, language, heading, body);
  const inFlight = new Set<Promise<void>>();
  // Stored times are compared as text: always the one ISO 8601 UTC spelling, whatever the clock gives.
  const now = () => new Date(Date.parse(options.now())).toISOString();

  const invalidLink = () => page(t.linkInvalid, `<p>${escapeHtml(t.confirmLinkHelp)}</p>`);

  async function signup(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const at = now();
    const form = new URLSearchParams(body);
    const typed = (form.get('email') ?? '').trim();
    const clientKey = `client:${hash(rateLimitKey(options.clientAddress(req)))}`;
    const [fromClient = 0] = await options.store.countAttempts(
      [{ key: clientKey, since: shift(at, -3_600_000) }],
      at,
      shift(at, -86_400_000),
    );
    if (fromClient > options.limits.perClientPerHour) return tooMany(res);
    const address = normalizeEmail(typed);
    if ('error' in address) {
      sendHtml(res, 400, page(t.invalidEmail, `<p>${escapeHtml(t.invalidEmailHelp)}</p>`));
      return;
    }
    const { email } = address;
    const checkInbox = page(
      t.checkInbox,
      `<p>${fillHtml(t.checkInboxBody, {
        email: `<strong>${escapeHtml(email)}</strong>`,
        days: escapeHtml(String(options.limits.pendingDays)),
      })}</p>`,
    );
    // A bot filled the field people never see: the same answer, and nothing happens.
    if ((form.get('website') ?? '') !== '') {
      sendHtml(res, 200, checkInbox);
      return;
    }
    const [forAddress = 0] = await options.store.countAttempts(
      [{ key: `email:${hash(email.toLowerCase())}`, since: shift(at, -86_400_000) }],
      at,
      shift(at, -86_400_000),
    );
    if (forAddress > options.limits.perAddressPerDay) return tooMany(res);
    await options.store.purgeExpiredSignups(at);
    const mailNow = (await options.store.suppressionOf(email))
      ? null
      : await pendingToMail(email, chosenTopics(form.getAll('topic')), at);
    sendHtml(res, 200, checkInbox);
    if (mailNow) track(mailConfirmation(mailNow));
  }

  /** Records the pending signup; returns it when a mail is due (none within the interval). */
  async function pendingToMail(email: string, topics: string[], at: string): Promise<PendingSignup | null> {
    const expires = shift(at, options.limits.pendingDays * 86_400_000);
    const signup = await options.store.recordPendingSignup({ email, topics }, at, expires);
    const interval = options.limits.mailIntervalMinutes * 60_000;
    if (signup.mailedAt && Date.parse(at) - Date.parse(signup.mailedAt) < interval) return null;
    await options.store.markSignupMailed(signup.id, at);
    return signup;
  }

  async function mailConfirmation(signup: PendingSignup): Promise<void> {
    const url = new URL(options.endpoint);
    url.searchParams.set('t', confirmationToken(options.secret, signup.id, signup.email));
    try {
      const mail = await options.renderMail(signup.email, url.toString());
      await options.sendMail(signup.email, mail, signup.id);
    } catch (error) {
      options.log?.(`signup: the confirmation mail to ${signup.email} failed: ${(error as Error).message}`);
    }
  }

  function track(work: Promise<void>): void {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }

  function chosenTopics(values: string[]): string[] {
    const known = new Set(options.topics.map((topic) => topic.slug));
    return [...new Set(values.filter((value) => known.has(value)))];
  }

  async function findPending(token: string): Promise<PendingSignup | null> {
    const id = tokenSubscriberId(token);
    if (id === null) return null;
    const signup = await options.store.pendingSignup(id, now());
    if (!signup) return null;
    if (!verifySignedToken(CONFIRM_CONTEXT, options.secret, token, signup.id, signup.email)) return null;
    // Suppressed since (erased, complained): the link is spent.
    return (await options.store.suppressionOf(signup.email)) ? null : signup;
  }

  function tooMany(res: ServerResponse): void {
    sendHtml(res, 429, page(t.tooManyRequests, `<p>${escapeHtml(t.tooManyRequestsHelp)}</p>`), {
      headers: { 'Retry-After': '3600' },
    });
  }

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== options.path) return false;
    const method = req.method ?? 'GET';
    const headOnly = method === 'HEAD';
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      sendHtml(res, 405, page(t.methodNotAllowed, ''), { headers: { Allow: 'GET, HEAD, POST' } });
      return true;
    }
    const body = method === 'POST' ? await readBody(req) : '';
    if (body === null) {
      sendHtml(res, 413, page(t.requestTooLarge, ''));
      return true;
    }
    const token = url.searchParams.get('t');
    if (token === null) {
      if (method === 'POST') await signup(req, res, body);
      else sendHtml(res, 200, page(t.signupHeading, formPage()), { headOnly });
      return true;
    }
    const pending = await findPending(token);
    if (!pending) {
      sendHtml(res, 400, invalidLink(), { headOnly });
      return true;
    }
    const email = `<strong>${escapeHtml(pending.email)}</strong>`;
    const site = escapeHtml(options.siteTitle);
    if (method === 'POST') {
      await options.store.confirmSignup(pending, now());
      sendHtml(res, 200, page(t.confirmedHeading, `<p>${fillHtml(t.confirmedBody, { email, site })}</p>`));
      return true;
    }
    const button = `<p>${fillHtml(t.confirmBody, { email, site })}</p>
<form method="post" action="${escapeHtml(`${url.pathname}?t=${encodeURIComponent(token)}`)}">
<button type="submit">${escapeHtml(t.confirmButton)}</button>
</form>`;
    sendHtml(res, 200, page(t.confirmHeading, button), { headOnly });
    return true;
  };

  /** The form on a page of its own (for a link from anywhere; the site's pages carry it too). */
  function formPage(): string {
    // The page's own heading says it already: the form comes without one.
    return signupFormHtml({ url: options.path, topics: options.topics }, '', language, options.siteTitle, {
      heading: false,
    });
  }

  return Object.assign(handler, {
    /** Resolves when every confirmation mail started so far was handed over (or failed). */
    idle: async () => {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  });
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}

function shift(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** Where signups post and confirmation links point: `signup.url`, else `<baseUrl>subscribe`. */
export function signupEndpoint(config: Config): URL {
  return new URL(config.signup.url ?? 'subscribe', config.site.baseUrl);
}
