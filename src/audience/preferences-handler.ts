import type { IncomingMessage, ServerResponse } from 'node:http';
import { pageHtml, readBody, sendHtml } from '../deliver/http-page.ts';
import { tokenSubscriberId, verifyPreferencesToken } from '../deliver/index.ts';
import { escapeHtml } from '../render/html.ts';
import { fillHtml, messagesFor } from '../render/index.ts';
import type { DeliveryStore } from '../state/store/index.ts';
import type { Subscriber } from '../types.ts';

export interface PreferencesHandlerOptions {
  /** The list: the SQLite state, or PostgreSQL with BROADSHEET_DATABASE_URL (where senders read). */
  store: DeliveryStore;
  secret: string;
  /** URL path answered, e.g. `/preferences` (`preferencesEndpoint(config).pathname`). */
  path: string;
  siteTitle: string;
  language?: string;
  /** The configured topics, in order. */
  topics: { slug: string; name: string }[];
  now(): string;
}

/** What a POST asks for, in the form's `do` field. */
type Change = 'topics' | 'pause' | 'resume' | 'unsubscribe' | 'erase';
const CHANGES: readonly Change[] = ['topics', 'pause', 'resume', 'unsubscribe', 'erase'];

/**
 * The "manage your subscription" page every message links to (signed link, `?t=`). GET shows the
 * forms and changes nothing (scanners fetch links); each POST makes one change: topics, pause,
 * resume, unsubscribe, or erase (with a tick box that says so: it cannot be undone). A token
 * that is forged, or made for another subscriber, is refused with 400.
 */
export function createPreferencesHandler(
  options: PreferencesHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const language = options.language ?? 'en';
  const t = messagesFor(language);
  const page = (heading: string, body: string) => pageHtml(options.siteTitle, language, heading, body);

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== options.path) return false;
    const method = req.method ?? 'GET';
    const headOnly = method === 'HEAD';
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      sendHtml(res, 405, page(t.methodNotAllowed, `<p>${escapeHtml(t.useEmailLink)}</p>`), {
        headers: { Allow: 'GET, HEAD, POST' },
      });
      return true;
    }
    const body = method === 'POST' ? await readBody(req) : '';
    if (body === null) {
      sendHtml(res, 413, page(t.requestTooLarge, ''));
      return true;
    }
    const token = url.searchParams.get('t') ?? '';
    const subscriber = await findByToken(options, token);
    if (!subscriber) {
      sendHtml(res, 400, page(t.linkInvalid, `<p>${escapeHtml(t.invalidLinkHelp)}</p>`), { headOnly });
      return true;
    }
    const action = `${url.pathname}?t=${encodeURIComponent(token)}`;
    if (method !== 'POST') {
      sendHtml(res, 200, page(t.preferencesHeading, forms(subscriber, action, '')), { headOnly });
      return true;
    }
    const form = new URLSearchParams(body);
    const change = form.get('do') as Change | null;
    if (!change || !CHANGES.includes(change) || (change === 'erase' && form.get('confirm') !== 'yes')) {
      sendHtml(res, 400, page(t.preferencesHeading, forms(subscriber, action, '')));
      return true;
    }
    if (change === 'erase') {
      await options.store.eraseSubscriber(subscriber, options.now());
      sendHtml(res, 200, page(t.erasedHeading, `<p>${escapeHtml(t.erasedBody)}</p>`));
      return true;
    }
    const notice = await apply(subscriber, change, form.getAll('topic'));
    const now = (await options.store.getSubscriber(subscriber.id)) ?? subscriber;
    sendHtml(res, 200, page(t.preferencesHeading, forms(now, action, notice)));
    return true;
  };

  /** Makes one change; returns the notice to show above the forms. */
  async function apply(
    subscriber: Subscriber,
    change: Exclude<Change, 'erase'>,
    chosen: string[],
  ): Promise<string> {
    const { store } = options;
    const now = options.now();
    if (change === 'topics') {
      const known = new Set(options.topics.map((topic) => topic.slug));
      await store.setSubscriberTopics(subscriber.id, [...new Set(chosen.filter((slug) => known.has(slug)))]);
      return t.topicsSaved;
    }
    if (change === 'pause') {
      if (subscriber.status === 'active') await store.setSubscriberStatus(subscriber.id, 'paused', now);
      return '';
    }
    if (change === 'unsubscribe') {
      if (subscriber.status !== 'bounced')
        await store.setSubscriberStatus(subscriber.id, 'unsubscribed', now);
      return '';
    }
    // Resume: the person's own request brings back a pause or an unsubscribe; a suppressed address
    // (a hard bounce, a complaint) stays off until the publisher lifts it (`add --reactivate`).
    if (
      (subscriber.status === 'paused' || subscriber.status === 'unsubscribed') &&
      !(await store.suppressionOf(subscriber.email))
    )
      await store.setSubscriberStatus(subscriber.id, 'active', now);
    return '';
  }

  function forms(subscriber: Subscriber, action: string, notice: string): string {
    const button = (change: Change, label: string, inner = '') =>
      `<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="do" value="${change}">
${inner}<button type="submit">${escapeHtml(label)}</button>
</form>`;
    const status =
      subscriber.status === 'active'
        ? t.statusActive
        : subscriber.status === 'paused'
          ? t.statusPaused
          : t.statusStopped;
    const chosen = new Set(subscriber.topics);
    const topics =
      options.topics.length > 0
        ? button(
            'topics',
            t.saveTopics,
            `<fieldset>
<legend>${escapeHtml(t.topicsLegend)}</legend>
${options.topics
  .map(
    (topic) =>
      `<label><input type="checkbox" name="topic" value="${escapeHtml(topic.slug)}"${chosen.has(topic.slug) ? ' checked' : ''}> ${escapeHtml(topic.name)}</label>`,
  )
  .join('\n')}
</fieldset>
`,
          )
        : '';
    const pauseOrResume =
      subscriber.status === 'active'
        ? button('pause', t.pause)
        : subscriber.status === 'bounced'
          ? ''
          : button('resume', t.resume);
    const unsubscribe =
      subscriber.status === 'active' || subscriber.status === 'paused'
        ? button('unsubscribe', t.unsubscribe)
        : '';
    const erase = button(
      'erase',
      t.eraseButton,
      `<label><input type="checkbox" name="confirm" value="yes" required> ${escapeHtml(t.eraseConfirm)}</label>
`,
    );
    return `${notice ? `<p class="notice" role="status">${escapeHtml(notice)}</p>\n` : ''}<p>${fillHtml(
      t.preferencesFor,
      {
        email: `<strong>${escapeHtml(subscriber.email)}</strong>`,
      },
    )} ${escapeHtml(status)}</p>
${topics}
${pauseOrResume}
${unsubscribe}
<h2>${escapeHtml(t.eraseHeading)}</h2>
<p>${fillHtml(t.eraseBody, { email: escapeHtml(subscriber.email) })}</p>
${erase}`;
  }
}

async function findByToken(options: PreferencesHandlerOptions, token: string): Promise<Subscriber | null> {
  const id = tokenSubscriberId(token);
  if (id === null) return null;
  const subscriber = await options.store.getSubscriber(id);
  if (!subscriber) return null;
  return verifyPreferencesToken(options.secret, token, subscriber.id, subscriber.email) ? subscriber : null;
}
