import type { Config } from '../config/schema.ts';
import type { Edition } from '../types.ts';
import { editionDateLabel } from './dates.ts';
import { countStories, editionItems } from './model.ts';
import { UNSUBSCRIBE_URL_PLACEHOLDER } from './types.ts';
import { type StoryView, storyView } from './view.ts';

export const TEXT_WIDTH = 72;

/**
 * The plain-text part, built from the Edition model (not by stripping the HTML): headings
 * underlined, highlights as bullets with hanging indents, every link a bare URL on its own line
 * (so clients make it clickable and no URL is broken by wrapping). Every story is in full here:
 * Gmail's clipping applies to the HTML part only.
 */
export function renderEditionText(edition: Edition, config: Config): string {
  const zone = config.site.timeZone;
  const locale = config.site.language;
  const out: string[] = [];
  out.push(...heading(config.site.title, '='));
  out.push(...wrap(edition.subject));
  out.push(...wrap(`${editionDateLabel(edition, config)} · ${countStories(editionItems(edition).length)}`));
  out.push('', 'Read this edition in your browser:', edition.url, '');
  out.push(...heading('Top story', '-'));
  out.push(...storyText(storyView(edition.lead, zone, locale), true));
  for (const section of edition.sections) {
    const name = section.topic?.name ?? (edition.sections.length > 1 ? 'More news' : 'More stories');
    if (out.at(-1) !== '') out.push('');
    out.push(...heading(name, '-'));
    for (const item of section.items) out.push(...storyText(storyView(item, zone, locale), false), '');
  }
  while (out.at(-1) === '') out.pop();
  out.push('', '-- ');
  out.push(
    ...wrap(`You are receiving this because you subscribed to the newsletter from ${config.site.title}.`),
  );
  out.push('', ...config.newsletter.postalAddress.split(/\r?\n/).flatMap((line) => wrap(line)));
  out.push('', 'Unsubscribe:', UNSUBSCRIBE_URL_PLACEHOLDER, '');
  return out.join('\n');
}

function storyText(story: StoryView, lead: boolean): string[] {
  const lines: string[] = [];
  lines.push(...(lead ? wrap(story.title.toUpperCase()) : wrap(story.title, '* ', '  ')));
  const indent = lead ? '' : '  ';
  const meta = [story.byline ? `By ${story.byline}` : '', story.date].filter(Boolean).join(' · ');
  if (meta) lines.push(...wrap(meta, indent, indent));
  if (story.summary) lines.push('', ...wrap(story.summary, indent, indent));
  if (story.highlights.length) lines.push('');
  for (const highlight of story.highlights) lines.push(...wrap(highlight, `${indent}- `, `${indent}  `));
  lines.push('', `${indent}Read more: ${story.url}`);
  if (story.related.length) {
    lines.push('', `${indent}Related:`);
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
