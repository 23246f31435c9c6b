import { Marked } from 'marked';
import type { TextFormat } from '../types.ts';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  // Most text has nothing to escape: a test is much cheaper than a replace with a callback.
  return HTML_SPECIAL.test(text) ? text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch) : text;
}

const HTML_SPECIAL = /[&<>"']/;

/**
 * Markdown renderer for hand-written articles. Raw HTML in the Markdown is shown as text,
 * never passed through: nothing a writer (or a scraped page) puts in can execute in a page,
 * a feed reader or an inbox. Links keep only http(s) and mailto targets.
 */
const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, tokens }) {
      const label = this.parser.parseInline(tokens);
      return /^(https?:|mailto:)/i.test(href) ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
    },
    image({ href, text }) {
      return /^https?:/i.test(href)
        ? `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}">`
        : escapeHtml(text);
    },
  },
});

/** Renders body or analysis blocks as HTML: each text paragraph a `<p>`, Markdown through marked. */
export function renderBlocksHtml(blocks: string[], format: TextFormat): string {
  if (format === 'markdown') return (markdown.parse(blocks.join('\n\n')) as string).trim();
  return blocks.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n');
}
