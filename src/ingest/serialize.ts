import type { Article } from '../types.ts';
import { MARKERS } from './export-format.ts';

/**
 * Writes an article in the publisher's export format (FORMAT.md), the inverse of the parser:
 * `parseSourceFile` reads the result back to the same article. Dates are written as ISO 8601,
 * the one style that keeps the exact instant and offset. Markdown blocks are flattened to one
 * line each, since the export format has one paragraph per line. Used by the round-trip test
 * and by benchmarks that generate synthetic corpora.
 */
export function renderExport(article: Article): string {
  const lines = [oneLine(article.title), '', MARKERS.inThisArticle];
  const byline = renderByline(article);
  lines.push(byline === '' ? MARKERS.highlights : `${byline} ${MARKERS.highlights}`);
  for (const highlight of article.highlights) lines.push(`- ${oneLine(highlight)}`);
  lines.push(...article.body.map(oneLine));
  if (article.analysis.length > 0) lines.push(MARKERS.analysis, ...article.analysis.map(oneLine));
  lines.push(MARKERS.related);
  for (const title of article.related) lines.push('', oneLine(title));
  return `${lines.join('\n')}\n`;
}

/** `A and B| Updated <iso> | Published <iso>`, or '' when there is neither author nor date. */
function renderByline(article: Article): string {
  const dates: string[] = [];
  if (article.updated !== null) dates.push(`Updated ${article.updated}`);
  if (article.published !== null) dates.push(`Published ${article.published}`);
  if (article.authors.length === 0 && dates.length === 0) return '';
  // "Published" with no date is how the publisher writes a dateless byline.
  return `${article.authors.join(' and ')}| ${dates.length > 0 ? dates.join(' | ') : 'Published'}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
