import type { Item, RelatedLink } from '../types.ts';
import { escapeHtml, renderBlocksHtml } from './html.ts';
import { cdataSafeHtml } from './xml.ts';

/** The heading of the analysis section, as the publisher's exports name it. */
export const ANALYSIS_HEADING = 'What this might mean';
export const RELATED_HEADING = 'Related';

export interface ContentOptions {
  /** Level of the section headings: 2 in feeds (the entry title is the reader's h1), 2 or 3 elsewhere. */
  headingLevel?: 2 | 3 | 4;
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
  return defaultContent.get(item, () => buildContentHtml(item, options));
}

/**
 * The last few thousand items' HTML, not every item's: a feed's three formats render one after
 * another, so they share each story's HTML, while a 100k-story build does not keep 100k stories'
 * HTML alive until it ends (a WeakMap on the items did: items live as long as the build).
 */
class RecentHtml {
  private readonly entries = new Map<Item, string>();
  constructor(private readonly capacity: number) {}

  get(item: Item, make: () => string): string {
    let html = this.entries.get(item);
    if (html === undefined) {
      html = make();
      if (this.entries.size >= this.capacity) {
        const oldest = this.entries.keys().next().value as Item;
        this.entries.delete(oldest);
      }
      this.entries.set(item, html);
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
export function feedContentHtml(item: Item): string {
  return feedContent.get(item, () =>
    cdataSafeHtml(renderItemContentHtml(item) || `<p>${escapeHtml(item.title)}</p>`),
  );
}

const feedContent = new RecentHtml(2000);

function buildContentHtml(item: Item, options: ContentOptions): string {
  const h = options.headingLevel ?? 2;
  const parts: string[] = [];
  if (item.highlights.length > 0) parts.push(renderHighlightsHtml(item.highlights));
  if (item.body.length > 0) parts.push(renderBlocksHtml(item.body, item.format, item.url));
  if (item.analysis.length > 0) {
    parts.push(
      `<h${h}>${escapeHtml(ANALYSIS_HEADING)}</h${h}>`,
      renderBlocksHtml(item.analysis, item.format, item.url),
    );
  }
  if (item.related.length > 0) {
    parts.push(
      `<h${h}>${escapeHtml(RELATED_HEADING)}</h${h}>`,
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
