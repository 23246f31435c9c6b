import type { Config } from '../config/index.ts';
import type { Edition } from '../types.ts';
import { editionDateLabel } from './dates.ts';
import { countStories, editionItems } from './model.ts';
import { PREFERENCES_URL_PLACEHOLDER, UNSUBSCRIBE_URL_PLACEHOLDER } from './types.ts';
import { type EditionView, editionView, type Layout, type StoryView } from './view.ts';

export const TEXT_WIDTH = 72;

/** Every story as a full card: the text part of an edition no size budget has trimmed. */
const EVERY_STORY_IN_FULL: Layout = { fullStories: Number.POSITIVE_INFINITY, briefs: 0, webView: false };

/**
 * The plain-text part, built from the Edition model (not by stripping the HTML): headings
 * underlined, highlights as bullets with hanging indents, every link a bare URL on its own line
 * (so clients make it clickable and no URL is broken by wrapping). It takes the HTML part's
 * layout: the two parts of multipart/alternative are the same message, so a story that is a card,
 * a brief or only counted in the HTML is the same here. (Before, every story was here in full:
 * the first edition of a 100,000-story archive made an 11 MB text part beside 95 KB of HTML.)
 */
export function renderEditionText(
  edition: Edition,
  config: Config,
  layout: Layout = EVERY_STORY_IN_FULL,
): string {
  const view = editionView(edition, config, layout);
  const { t } = view;
  const out: string[] = [];
  out.push(...heading(config.site.title, '='));
  out.push(...wrap(edition.subject));
  out.push(
    ...wrap(
      `${editionDateLabel(edition, config)} · ${countStories(editionItems(edition).length, config.site.language)}`,
    ),
  );
  out.push('', t.readInBrowser, edition.url, '');
  out.push(...heading(t.topStory, '-'));
  out.push(...storyText(view.lead, true, t));
  for (const section of view.sections) {
    if (out.at(-1) !== '') out.push('');
    out.push(...heading(section.heading ?? t.moreStories, '-'));
    for (const story of section.stories) out.push(...storyText(story, false, t), '');
    for (const story of section.briefs) out.push(...briefText(story), '');
  }
  if (view.omitted) {
    if (out.at(-1) !== '') out.push('');
    const { url, label, before, after } = view.omitted;
    // The sentence ends in a colon and the bare URL: "… in the web edition:".
    out.push(...wrap(`${before}${label}${after.replace(/[.。]\s*$/, '')}:`), url, '');
  }
  while (out.at(-1) === '') out.pop();
  out.push('', '-- ');
  out.push(...wrap(t.whyYouGetThisText));
  out.push('', ...config.newsletter.postalAddress.split(/\r?\n/).flatMap((line) => wrap(line)));
  out.push('', `${t.manageSubscription}:`, PREFERENCES_URL_PLACEHOLDER);
  out.push('', `${t.unsubscribe}:`, UNSUBSCRIBE_URL_PLACEHOLDER, '');
  return out.join('\n');
}

/** A story of the compact list: its title, date and link, as the HTML's "More stories" shows it. */
function briefText(story: StoryView): string[] {
  return [...wrap(story.title, '* ', '  '), `  ${story.date}`, `  ${story.url}`];
}

function storyText(story: StoryView, lead: boolean, t: EditionView['t']): string[] {
  const lines: string[] = [];
  lines.push(...(lead ? wrap(story.title.toUpperCase()) : wrap(story.title, '* ', '  ')));
  const indent = lead ? '' : '  ';
  const meta = [story.credit, story.date].filter(Boolean).join(' · ');
  if (meta) lines.push(...wrap(meta, indent, indent));
  if (story.summary) lines.push('', ...wrap(story.summary, indent, indent));
  if (story.highlights.length) lines.push('');
  for (const highlight of story.highlights) lines.push(...wrap(highlight, `${indent}- `, `${indent}  `));
  lines.push('', `${indent}${t.readMore}: ${story.url}`);
  if (story.related.length) {
    lines.push('', `${indent}${t.related}:`);
    for (const link of story.related) {
      lines.push(...wrap(link.title, `${indent}- `, `${indent}  `), `${indent}  ${link.url}`);
    }
  }
  return lines;
}

function heading(text: string, underline: '=' | '-'): string[] {
  const lines = wrap(text);
  const width = Math.max(...lines.map((l) => [...l].length));
  return [...lines, underline.repeat(Math.min(width, TEXT_WIDTH))];
}

/**
 * Greedy word wrap at TEXT_WIDTH columns (counting code points). A word longer than the line
 * (a URL) gets a line of its own rather than being split.
 */
export function wrap(text: string, first = '', rest = first, width = TEXT_WIDTH): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    const candidate = empty ? line + word : `${line} ${word}`;
    if (!empty && [...candidate].length > width) {
      lines.push(line);
      line = rest + word;
    } else line = candidate;
    empty = false;
  }
  if (!empty) lines.push(line);
  return lines;
}
