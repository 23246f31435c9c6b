import { Marked } from 'marked';
import type { ResolvedImage, TextFormat } from '../types.ts';

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
 * a feed reader or an inbox. Links keep only http(s) and mailto targets; a relative one is
 * resolved against the story's page URL when there is one (a feed reader or an inbox has no
 * base to resolve it against), else kept as its label only.
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
      const target = absoluteTarget(href, /^(https?:|mailto:)/i);
      return target ? `<a href="${escapeHtml(target)}">${label}</a>` : label;
    },
    image({ href, text }) {
      const found = localImages?.[href];
      if (found) return imageHtml(found, text);
      // A file the build could not find (reported then) is not linked: it would be a 404.
      if (localImages !== undefined && !/^[a-z][a-z\d+.-]*:|^\/\//i.test(href)) return escapeHtml(text);
      const target = absoluteTarget(href, /^https?:/i);
      return target ? `<img src="${escapeHtml(target)}" alt="${escapeHtml(text)}">` : escapeHtml(text);
    },
  },
});

/** The base for relative targets during one synchronous parse (marked's renderer takes no argument). */
let linkBase: string | undefined;
/** The story's images found beside it (pipeline/media.ts), by `src` as written, during one parse. */
let localImages: Record<string, ResolvedImage> | undefined;

/** An `<img>` with its measured size, so the page does not shift as it loads. */
export function imageHtml(image: ResolvedImage, alt = image.alt): string {
  const size =
    image.width !== null && image.height !== null ? ` width="${image.width}" height="${image.height}"` : '';
  return `<img src="${escapeHtml(image.url)}" alt="${escapeHtml(alt)}"${size}>`;
}

function absoluteTarget(href: string, allowed: RegExp): string | null {
  if (allowed.test(href)) return href;
  // A scheme we do not allow ("javascript:", "data:") is not relative: never resolve it.
  if (linkBase === undefined || /^[a-z][a-z\d+.-]*:/i.test(href)) return null;
  if (!URL.canParse(href, linkBase)) return null;
  const resolved = new URL(href, linkBase).href;
  return allowed.test(resolved) ? resolved : null;
}

/**
 * Renders body or analysis blocks as HTML: each text paragraph a `<p>`, Markdown through marked.
 * `baseUrl` (the story's absolute page URL) resolves relative links and images in Markdown.
 */
export function renderBlocksHtml(
  blocks: string[],
  format: TextFormat,
  baseUrl?: string,
  images?: Record<string, ResolvedImage>,
): string {
  if (format !== 'markdown') return blocks.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n');
  linkBase = baseUrl;
  localImages = images;
  try {
    return (markdown.parse(blocks.join('\n\n')) as string).trim();
  } finally {
    linkBase = undefined;
    localImages = undefined;
  }
}
