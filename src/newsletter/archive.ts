import { Feed } from 'feed';
import { DateTime } from 'luxon';
import type { Config } from '../config/index.ts';
import { ruleTopic } from '../normalize/index.ts';
import { escapeHtml } from '../render/html.ts';
import {
  fill,
  formActionSources,
  messagesFor,
  SIGNUP_STYLE,
  signupFormHtml,
  textDirection,
} from '../render/index.ts';
import type { EditionSummary } from '../types.ts';
import { editionDateLabel } from './dates.ts';
import { countStories } from './model.ts';

export function archiveUrl(config: Config): string {
  return new URL('newsletter/', config.site.baseUrl).href;
}

export function archiveFeedUrl(config: Config): string {
  return new URL('newsletter/feed.xml', config.site.baseUrl).href;
}

/** `newsletter/index.html`: every edition, newest first, linking to its web view. */
export function archivePage(entries: EditionSummary[], config: Config): string {
  const t = messagesFor(config.site.language);
  const title = fill(t.newsletterTitle, { site: config.site.title });
  const rows = entries
    .map(
      (entry) => `      <li>
        <a href="${escapeHtml(entry.url)}">${escapeHtml(entry.subject)}</a>
        <span class="meta">${escapeHtml(editionDateLabel(entry, config))} · ${countStories(entry.storyCount, config.site.language)}</span>
      </li>`,
    )
    .join('\n');
  const body = entries.length
    ? `<ol class="editions">\n${rows}\n    </ol>`
    : `<p>${escapeHtml(t.noEditions)}</p>`;
  const signup = signupParts(config);
  return `<!doctype html>
<html lang="${escapeHtml(config.site.language)}" dir="${textDirection(config.site.language)}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">${signup.head}
  <title>${escapeHtml(title)}</title>
  <link rel="alternate" type="application/atom+xml" title="${escapeHtml(title)}" href="${escapeHtml(archiveFeedUrl(config))}">
  <style>
    body { margin: 0 auto; max-width: 40rem; padding: 1.5rem 1rem; font: 16px/1.5 -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: #1f2328; background: #fff; overflow-wrap: break-word; }
    a { color: #0b57d0; }
    .editions { list-style: none; padding: 0; }
    .editions li { padding: .75rem 0; border-bottom: 1px solid #d0d7de; }
    .editions a { font-weight: 600; }
    .meta { display: block; color: #4b5560; font-size: .875rem; }
    @media (prefers-color-scheme: dark) {
      body { color: #e6edf3; background: #0f1115; }
      a { color: #8ab4f8; }
      .editions li { border-color: #30363d; }
      .meta { color: #aab4bf; }
    }${signup.style}
  </style>
</head>
<body>
  <header>
    <p><a href="${escapeHtml(config.site.baseUrl)}">${escapeHtml(config.site.title)}</a></p>
    <h1>${escapeHtml(title)}</h1>
    <p>${escapeHtml(t.pastEditions)} <a href="${escapeHtml(archiveFeedUrl(config))}">${escapeHtml(t.followArchiveFeed)}</a>.</p>
  </header>
  <main>
    ${body}${signup.form}
  </main>
</body>
</html>
`;
}

/**
 * The signup form (`signup.form`) and what it needs in the page: a CSP that lets it post, its
 * styles. The archive is `newsletter/index.html`, so the site root is "../".
 */
function signupParts(config: Config): { head: string; style: string; form: string } {
  if (!config.signup.form) return { head: '', style: '', form: '' };
  const form = { url: config.signup.url ?? null, topics: config.feeds.topics.map(ruleTopic) };
  const csp = `default-src 'none'; style-src 'unsafe-inline'; form-action ${formActionSources(form, config.site.baseUrl)}`;
  return {
    head: `\n  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    style: `\n${SIGNUP_STYLE}`,
    form: `\n${signupFormHtml(form, '../', config.site.language, config.site.title)}`,
  };
}

/**
 * `newsletter/feed.xml`: an Atom feed of editions. `feed` treats Atom titles and summaries as
 * HTML (FACTS.md), so our plain text is escaped before it goes in.
 */
export function archiveFeed(entries: EditionSummary[], config: Config): string {
  const t = messagesFor(config.site.language);
  const title = fill(t.newsletterTitle, { site: config.site.title });
  const latest = entries[0];
  const feed = new Feed({
    id: archiveUrl(config),
    link: archiveUrl(config),
    title: escapeHtml(title),
    description: escapeHtml(fill(t.archiveFeedDescription, { site: config.site.title })),
    language: config.site.language,
    // Stable across builds: the newest edition's end, not the build time.
    updated: toDate(latest?.until ?? '1970-01-01T00:00:00Z'),
    feedLinks: { atom: archiveFeedUrl(config) },
    author: {
      name: config.site.author.name,
      ...(config.site.author.email ? { email: config.site.author.email } : {}),
    },
    copyright: config.site.copyright ?? `© ${config.site.author.name}`,
    generator: 'Broadsheet',
  });
  for (const entry of entries) {
    feed.addItem({
      id: entry.url,
      link: entry.url,
      title: escapeHtml(entry.subject),
      description: escapeHtml(entry.preheader),
      date: toDate(entry.until),
    });
  }
  return feed.atom1();
}

function toDate(iso: string): Date {
  return DateTime.fromISO(iso, { setZone: true }).toJSDate();
}
