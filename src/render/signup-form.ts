import { escapeHtml } from './html.ts';
import { fillHtml, messagesFor } from './messages/index.ts';

/**
 * The newsletter signup form pages carry when `signup.form` is on: plain HTML that works with
 * no JavaScript, posting to `serve`'s signup endpoint (or wherever the handler is mounted).
 */
export interface SignupForm {
  /** Absolute URL the form posts to; null for the site's own `subscribe` (relative, so any host works). */
  url: string | null;
  /** The topics a reader may pick (none picked: everything). */
  topics: { slug: string; name: string }[];
}

/**
 * The CSP `form-action` sources the form needs: the page's own origin, plus the endpoint's when it
 * lives elsewhere. Without the directive a page could be made to post anywhere; with a too-narrow
 * one, the browser silently refuses to submit.
 */
export function formActionSources(form: SignupForm | undefined, siteBaseUrl: string): string {
  if (!form?.url) return "'self'";
  const origin = new URL(form.url).origin;
  return origin === new URL(siteBaseUrl).origin ? "'self'" : `'self' ${origin}`;
}

/**
 * Rules for the form, added to the page's stylesheet: the site pages' colour variables (both
 * schemes), with light fallbacks for a page that has none (the newsletter archive).
 */
export const SIGNUP_STYLE = `
.signup{border-top:1px solid var(--rule,#d0d7de);margin-top:2rem;padding-top:.5rem;font-family:system-ui,sans-serif}
.signup label{display:block;margin:.25rem 0}
.signup input[type=email]{font:inherit;padding:.4rem;width:100%;max-width:24rem;border:1px solid var(--muted,#5b5b5b);border-radius:4px;background:var(--bg,#fff);color:var(--text,#1f2328)}
.signup fieldset{border:1px solid var(--rule,#d0d7de);border-radius:4px;margin:.75rem 0}
.signup button{font:inherit;margin-top:.5rem;padding:.45rem 1.2rem;border:0;border-radius:4px;background:var(--link,#0b57d0);color:var(--bg,#fff);cursor:pointer}
`.trim();

/**
 * The form. `root` is the way back to the site root from the page ("../../" from a story). The
 * honeypot field sits in a `hidden` block: people (and screen readers) never meet it; form-filling
 * bots do.
 */
export function signupFormHtml(
  form: SignupForm,
  root: string,
  language: string,
  siteTitle: string,
  options: { heading?: boolean } = {},
): string {
  const t = messagesFor(language);
  const action = form.url ?? `${root}subscribe`;
  const topics =
    form.topics.length > 0
      ? `<fieldset>
<legend>${escapeHtml(t.topicsLegend)}</legend>
${form.topics
  .map(
    (topic) =>
      `<label><input type="checkbox" name="topic" value="${escapeHtml(topic.slug)}"> ${escapeHtml(topic.name)}</label>`,
  )
  .join('\n')}
</fieldset>
`
      : '';
  const heading =
    options.heading === false ? '' : `<h2 id="signup-heading">${escapeHtml(t.signupHeading)}</h2>\n`;
  return `<section class="signup"${heading ? ' aria-labelledby="signup-heading"' : ''}>
${heading}<p>${fillHtml(t.signupIntro, { site: escapeHtml(siteTitle) })}</p>
<form method="post" action="${escapeHtml(action)}">
<label for="signup-email">${escapeHtml(t.emailLabel)}</label>
<input id="signup-email" type="email" name="email" required autocomplete="email">
${topics}<div hidden><label for="signup-website">${escapeHtml(t.honeypotLabel)}</label><input id="signup-website" type="text" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">${escapeHtml(t.subscribe)}</button>
</form>
</section>`;
}
