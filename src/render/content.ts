import type { Item, RelatedLink } from '../types.ts';
import { escapeHtml, renderBlocksHtml } from './html.ts';
import { messagesFor } from './messages/index.ts';
import { cdataSafeHtml } from './xml.ts';

/** The English headings of the analysis and related sections (the exports' own names); see messages/. */
export const ANALYSIS_HEADING = messagesFor('en').analysisHeading;
export const RELATED_HEADING = messagesFor('en').related;

export interface ContentOptions {
  /** Level of the section headings: 2 in feeds (the entry title is the reader's h1), 2 or 3 elsewhere. */
  headingLevel?: 2 | 3 | 4;
  /** The site's language: the section headings are chrome and follow it (English when not given). */
  language?: string;
  /** Where a resolved related story links; the absolute page URL unless a page wants relative links. */
  relatedHref?: (link: RelatedLink & { url: string }) => string;
}

/**
 * The HTML body of one story, used by every feed and page (and reusable by the newsletter):
 * highlights as a list, the body, the analysis, then related stories: links to our own pages
 * where a related title resolved, plain text where it did not. Links are absolute, so the
 * HTML works in a feed reader or an inbox.
 */
export function renderItemContentHtml(item: Item, options: ContentOptions = {}): string {
  const isDefault = options.headingLevel === undefined && options.relatedHref === undefined;
  if (!isDefault) return buildContentHtml(item, options);
  // One story appears in up to three formats of several feeds (main, topics, authors):
  // render its HTML once. Items are values that never change after normalize.
  return defaultContent.get(item, options.language ?? 'en', () => buildContentHtml(item, options));
}

/**
 * The last few thousand items' HTML, not every item's: a feed's three formats render one after
 * another, so they share each story's HTML, while a 100k-story build does not keep 100k stories'
 * HTML alive until it ends (a WeakMap on the items did: items live as long as the build).
 */
class RecentHtml {
  private readonly entries = new Map<Item, { language: string; html: string }>();
  constructor(private readonly capacity: number) {}

  /** One language at a time per item (a build has one): another language renders again. */
  get(item: Item, language: string, make: () => string): string {
    const entry = this.entries.get(item);
    let html = entry?.language === language ? entry.html : undefined;
    if (html === undefined) {
      html = make();
      this.entries.delete(item);
      if (this.entries.size >= this.capacity) {
        const oldest = this.entries.keys().next().value as Item;
        this.entries.delete(oldest);
      }
      this.entries.set(item, { language, html });
    }
    return html;
  }
}

const defaultContent = new RecentHtml(2000);

/**
 * The content every feed format carries, CDATA-safe: never empty (readers need content, and
 * RSS declares xmlns:dc only beside content:encoded), rendered once per item for all the
 * feeds it is in.
 */
export function feedContentHtml(item: Item, language = 'en'): string {
  return feedContent.get(item, language, () =>
    cdataSafeHtml(renderItemContentHtml(item, { language }) || `<p>${escapeHtml(item.title)}</p>`),
  );
}

const feedContent = new RecentHtml(2000);

function buildContentHtml(item: Item, options: ContentOptions): string {
  const h = options.headingLevel ?? 2;
  const t = messagesFor(options.language ?? 'en');
  const parts: string[] = [];
  if (item.highlights.length > 0) parts.push(renderHighlightsHtml(item.highlights));
  const images = item.media?.inline;
  if (item.body.length > 0) parts.push(renderBlocksHtml(item.body, item.format, item.url, images));
  if (item.analysis.length > 0) {
    parts.push(
      `<h${h}>${escapeHtml(t.analysisHeading)}</h${h}>`,
      renderBlocksHtml(item.analysis, item.format, item.url, images),
    );
  }
  if (item.related.length > 0) {
    parts.push(
      `<h${h}>${escapeHtml(t.related)}</h${h}>`,
      renderRelatedHtml(item.related, options.relatedHref),
    );
  }
  return parts.join('\n');
}

export function renderHighlightsHtml(highlights: string[]): string {
  return `<ul>\n${highlights.map((h) => `<li>${escapeHtml(h)}</li>`).join('\n')}\n</ul>`;
}

/** Related stories as a list; only resolved titles are links, so there is never a dead one. */
export function renderRelatedHtml(
  related: RelatedLink[],
  href: (link: RelatedLink & { url: string }) => string = (link) => link.url,
): string {
  const items = related.map((r) =>
    r.url
      ? `<li><a href="${escapeHtml(href({ ...r, url: r.url }))}">${escapeHtml(r.title)}</a></li>`
      : `<li>${escapeHtml(r.title)}</li>`,
  );
  return `<ul>\n${items.join('\n')}\n</ul>`;
}
