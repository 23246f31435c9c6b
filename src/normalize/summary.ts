import { Lexer, type Token } from 'marked';
import type { TextFormat } from '../types.ts';
import { cleanLine, graphemeBoundaryAtOrBefore } from './text.ts';

/** Feed readers show summaries in list views; past this they are cut at a word. */
export const SUMMARY_MAX_CHARS = 400;

/**
 * The plain-text summary of a story: its highlights when it has any (they were written as
 * the summary), else its lead paragraph. Markdown is reduced to its text with marked's lexer.
 */
export function summarize(highlights: string[], body: string[], format: TextFormat): string {
  return summarizeReading(highlights, () => body, format);
}

/**
 * `summarize`, reading the body only when the highlights give no summary: a paged story's body
 * is a read from the parse cache, and most stories have highlights.
 */
export function summarizeReading(highlights: string[], body: () => string[], format: TextFormat): string {
  const fromHighlights = highlights.map(cleanLine).filter(Boolean).map(endWithPunctuation).join(' ');
  const text = fromHighlights || leadText(body(), format);
  return truncateAtWord(text, SUMMARY_MAX_CHARS);
}

/** Whether `summarize` reads the body: when no highlight has any text. */
export function summaryNeedsBody(highlights: string[]): boolean {
  return !highlights.some((line) => cleanLine(line) !== '');
}

function leadText(body: string[], format: TextFormat): string {
  for (const block of body) {
    const text = cleanLine(format === 'markdown' ? markdownToText(block) : block);
    if (text) return text;
  }
  return '';
}

/** The visible text of a Markdown block: link labels kept, URLs, markup and raw HTML dropped. */
export function markdownToText(markdown: string): string {
  const parts: string[] = [];
  const walk = (tokens: Token[]): void => {
    for (const token of tokens) {
      if (token.type === 'html' || token.type === 'image' || token.type === 'space') continue;
      if ('tokens' in token && token.tokens && token.tokens.length > 0) walk(token.tokens);
      else if (token.type === 'list') walk(token.items);
      else if ('text' in token && typeof token.text === 'string') parts.push(token.text);
      if (token.type === 'paragraph' || token.type === 'heading' || token.type === 'list_item')
        parts.push(' ');
    }
  };
  walk(new Lexer({ gfm: true }).lex(markdown));
  return parts.join('');
}

function endWithPunctuation(sentence: string): string {
  return /[.!?…:;"”’)]$/.test(sentence) ? sentence : `${sentence}.`;
}

export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  // Cut between grapheme clusters: a cut inside a surrogate pair leaves a lone half (which XML
  // drops and HTML shows as U+FFFD), one inside an emoji ZWJ sequence a stray joiner and half a
  // family, one inside a flag a lone regional indicator.
  const cut = text.slice(0, graphemeBoundaryAtOrBefore(text, max - 1));
  const space = cut.lastIndexOf(' ');
  // A hyphen left before the ellipsis reads as a broken word ("well-…"): trimmed with the rest.
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}
