import type { Config } from '../config/index.ts';
import type { Edition } from '../types.ts';
import { editionItems } from './model.ts';
import { type CompiledTemplates, compileMjml, compileTemplates } from './templates.ts';
import { renderEditionText } from './text.ts';
import type { RenderedEmail, Templates } from './types.ts';
import { editionView, type Layout } from './view.ts';

/**
 * Gmail clips HTML above about 102 KB (102,000 bytes in practice), hiding the footer with the
 * unsubscribe link. We stay under 96,000 bytes so the per-recipient unsubscribe URL that replaces
 * the placeholder at send time, and a client's own additions, still fit.
 */
export const EMAIL_HTML_BUDGET = 96_000;

/** How many briefs the compact "More stories" list holds at most before stories are only counted. */
const MAX_BRIEFS = 200;

/**
 * Renders an edition's email: compiled MJML (inlined CSS) plus the plain-text part, both holding
 * UNSUBSCRIBE_URL_PLACEHOLDER. The first `newsletter.maxStories` stories after the lead are full
 * cards and the rest a compact list of linked titles; when the HTML would still exceed
 * EMAIL_HTML_BUDGET, fewer cards (then fewer list entries, with a "see all" link to the web view)
 * are used until it fits. The text part follows the layout the HTML ended with. Throws
 * TemplateError naming the template file and line.
 */
export async function renderEditionEmail(
  edition: Edition,
  config: Config,
  templates: Templates,
): Promise<RenderedEmail> {
  const compiled = compileTemplates(templates);
  const { html, layout } = await renderWithinBudget(edition, config, compiled);
  return {
    subject: edition.subject,
    preheader: edition.preheader,
    html,
    // The same cards, briefs and count as the HTML: the two parts are one message.
    text: renderEditionText(edition, config, layout),
  };
}

/**
 * The web view: up to WEB_CARDS stories as full cards, up to WEB_BRIEFS more as linked titles, the
 * rest counted with a link to the archive; and a note about managing the subscription instead of
 * an unsubscribe link (a web page has no recipient, so no placeholder may appear in it).
 */
export async function renderEditionWebView(
  edition: Edition,
  config: Config,
  templates: Templates,
): Promise<string> {
  const compiled = compileTemplates(templates);
  return render(edition, config, compiled, { fullStories: WEB_CARDS, briefs: WEB_BRIEFS, webView: true });
}

/**
 * A first edition of a large archive can hold ten thousand stories: as full cards that was a
 * 22 MB page (and ~500 MB of memory for MJML to make it). Past these, readers get the archive.
 */
export const WEB_CARDS = 100;
export const WEB_BRIEFS = 1000;

async function renderWithinBudget(
  edition: Edition,
  config: Config,
  compiled: CompiledTemplates,
): Promise<{ html: string; layout: Layout }> {
  const others = editionItems(edition).length - 1;
  let layout: Layout = {
    fullStories: Math.min(config.newsletter.maxStories, others),
    briefs: MAX_BRIEFS,
    webView: false,
  };
  for (;;) {
    const html = await render(edition, config, compiled, layout);
    if (Buffer.byteLength(html, 'utf8') <= EMAIL_HTML_BUDGET) return { html, layout };
    if (layout.fullStories > 0) layout = { ...layout, fullStories: Math.floor(layout.fullStories * 0.75) };
    else if (layout.briefs > 0) layout = { ...layout, briefs: Math.floor(layout.briefs * 0.75) };
    // Nothing left to shed: the templates alone are too big; send what we have rather than nothing.
    else return { html, layout };
  }
}

async function render(
  edition: Edition,
  config: Config,
  compiled: CompiledTemplates,
  layout: Layout,
): Promise<string> {
  return compileMjml(compiled.fill(editionView(edition, config, layout)));
}
