import type { Article, Diagnostic } from '../types.ts';
import { type Byline, parseByline, splitAuthors } from './byline.ts';

/** The fixed lines of the export format (FORMAT.md). Compared trimmed and case-insensitively. */
export const MARKERS = {
  inThisArticle: 'In This Article',
  highlights: 'HIGHLIGHTS',
  analysis: 'WHAT THIS MIGHT MEAN',
  related: 'Related Articles',
} as const;

const IN_THIS_ARTICLE = /^in this article$/i;
const HIGHLIGHTS_ALONE = /^highlights:?$/i;
// Case-sensitive: "…highlights" at the end of a byline is only the marker when shouted.
const HIGHLIGHTS_SUFFIX = /^(.*\S)\s+HIGHLIGHTS:?$/;
const ANALYSIS = /^what this might mean:?$/i;
const RELATED = /^related articles:?$/i;
const BULLET = /^[-•*]\s+(.*)$/;
/** A line of dates only: `Published …`, `Updated … | Published …`. */
const DATES_LINE = /^(published|updated)\b/i;
/** A line that can only be a section marker or a header, never a paragraph of prose. */
const HEADER_LINE = [IN_THIS_ARTICLE, HIGHLIGHTS_ALONE, HIGHLIGHTS_SUFFIX];

export interface ParsedExport {
  articles: Article[];
  diagnostics: Diagnostic[];
}

/**
 * Splits export text into articles. A title is a non-blank line followed by a blank line and
 * `In This Article`; that lookahead is what separates the articles of a dump file, where the
 * last related title of one article runs straight into the next title with no blank line.
 */
export function parseExport(text: string, file: string, timeZone: string): ParsedExport {
  const lines = text.split('\n');
  const starts = findTitleLines(lines);
  const diagnostics: Diagnostic[] = [];
  if (starts.length === 0) {
    diagnostics.push({
      severity: 'error',
      code: 'ingest/not-an-article',
      file,
      line: firstNonBlank(lines, 0) + 1,
      message: `no article found: expected a title line, a blank line, then "${MARKERS.inThisArticle}"`,
    });
    return { articles: [], diagnostics };
  }
  const first = starts[0] as number;
  const stray = firstNonBlank(lines, 0);
  if (stray < first) {
    diagnostics.push({
      severity: 'warning',
      code: 'ingest/stray-text',
      file,
      line: stray + 1,
      message: `text before the first article (lines ${stray + 1}-${lastNonBlank(lines, first - 1) + 1}) is not part of any article; ignored`,
    });
  }
  const articles: Article[] = [];
  starts.forEach((start, k) => {
    const end = lastNonBlank(lines, (starts[k + 1] ?? lines.length) - 1);
    const parsed = parseOneArticle(lines, start, end, file, timeZone);
    articles.push(parsed.article);
    diagnostics.push(...parsed.diagnostics);
  });
  return { articles, diagnostics };
}

function findTitleLines(lines: string[]): number[] {
  const starts: number[] = [];
  for (let i = 0; i + 2 < lines.length; i++) {
    if (
      IN_THIS_ARTICLE.test((lines[i + 2] as string).trim()) &&
      (lines[i + 1] as string).trim() === '' &&
      (lines[i] as string).trim() !== '' &&
      !IN_THIS_ARTICLE.test((lines[i] as string).trim())
    ) {
      starts.push(i);
    }
  }
  return starts;
}

function firstNonBlank(lines: string[], from: number): number {
  let i = from;
  while (i < lines.length && (lines[i] as string).trim() === '') i++;
  return i;
}

function lastNonBlank(lines: string[], from: number): number {
  let i = from;
  while (i > 0 && (lines[i] as string).trim() === '') i--;
  return i;
}

type Section = 'body' | 'analysis' | 'related';

interface NumberedLine {
  text: string;
  /** 1-based line in the file. */
  line: number;
}

/**
 * A marker or a run of bullets among the paragraphs means the header was not understood (a
 * layout we do not know): the story would reach readers with its byline, marker and highlights
 * as body text and no date. Kept as text (nothing is lost), but never silently.
 */
function misplacedLayout(prose: NumberedLine[], title: string, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (let k = 0; k < prose.length; k++) {
    const { text, line } = prose[k] as NumberedLine;
    if (HEADER_LINE.some((marker) => marker.test(text))) {
      diagnostics.push({
        severity: 'warning',
        code: 'ingest/marker-in-body',
        file,
        line,
        message: `section marker "${text}" in the body of "${title}": the header above it was not understood; kept as a paragraph`,
      });
      continue;
    }
    if (!BULLET.test(text)) continue;
    let last = k;
    while (last + 1 < prose.length && BULLET.test((prose[last + 1] as NumberedLine).text)) last++;
    const lastLine = (prose[last] as NumberedLine).line;
    const where = last > k ? `lines ${line}-${lastLine}` : `line ${line}`;
    diagnostics.push({
      severity: 'warning',
      code: 'ingest/bullets-in-body',
      file,
      line,
      message: `bullet list in the body of "${title}" (${where}): highlights belong right after "${MARKERS.highlights}"; kept as paragraphs`,
    });
    k = last;
  }
  return diagnostics;
}

/** Parses lines[start..end] (0-based, inclusive): one article, title line first. */
function parseOneArticle(
  lines: string[],
  start: number,
  end: number,
  file: string,
  timeZone: string,
): { article: Article; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const title = (lines[start] as string).trim();
  let i = start + 3; // title, blank, "In This Article"
  const header = readHeader(lines, i, end, file, timeZone);
  diagnostics.push(...header.diagnostics);
  i = header.next;

  const highlights: string[] = [];
  if (header.sawHighlights) {
    // Blank lines between the marker and its first bullet are tolerated.
    const first = firstNonBlank(lines, i);
    if (first <= end && BULLET.test((lines[first] as string).trim())) i = first;
    for (; i <= end; i++) {
      const bullet = BULLET.exec((lines[i] as string).trim());
      if (bullet === null) break;
      highlights.push((bullet[1] as string).trim());
    }
  }

  const sections: Record<Section, string[]> = { body: [], analysis: [], related: [] };
  const prose: NumberedLine[] = [];
  let section: Section = 'body';
  for (; i <= end; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    if (section !== 'related' && ANALYSIS.test(line)) section = 'analysis';
    else if (RELATED.test(line)) section = 'related';
    else {
      sections[section].push(line);
      if (section !== 'related') prose.push({ text: line, line: i + 1 });
    }
  }
  diagnostics.push(...misplacedLayout(prose, title, file));
  if (sections.body.length === 0) {
    diagnostics.push({
      severity: 'warning',
      code: 'ingest/empty-body',
      file,
      line: start + 1,
      message: `article "${title}" has no body paragraphs`,
    });
  }
  const article: Article = {
    title,
    authors: header.byline.authors,
    published: header.byline.published,
    updated: header.byline.updated,
    highlights,
    body: sections.body,
    analysis: sections.analysis,
    related: sections.related,
    tags: [],
    canonicalUrl: null,
    format: 'text',
    sources: [{ file, startLine: start + 1, endLine: end + 1 }],
    mergedFrom: [],
  };
  return { article, diagnostics };
}

/**
 * The lines between `In This Article` and the bullets: `HIGHLIGHTS` alone, `<byline> HIGHLIGHTS`,
 * or a byline line and then `HIGHLIGHTS`. Sections can be missing, so an article may also go
 * straight to its body (with or without a byline).
 */
function readHeader(
  lines: string[],
  at: number,
  end: number,
  file: string,
  timeZone: string,
): { byline: Byline; sawHighlights: boolean; next: number; diagnostics: Diagnostic[] } {
  const none: Byline = { authors: [], published: null, updated: null };
  const line = at <= end ? (lines[at] as string).trim() : '';
  const nextLine = at + 1 <= end ? (lines[at + 1] as string).trim() : '';
  if (HIGHLIGHTS_ALONE.test(line))
    return { byline: none, sawHighlights: true, next: at + 1, diagnostics: [] };
  const shared = HIGHLIGHTS_SUFFIX.exec(line);
  // Anything before a shouted HIGHLIGHTS on this line is the byline, even a bare name.
  if (shared) {
    const { byline, diagnostics } = parseByline(shared[1] as string, timeZone, file, at + 1);
    return { byline, sawHighlights: true, next: at + 1, diagnostics };
  }
  if (line !== '' && HIGHLIGHTS_ALONE.test(nextLine)) {
    const { byline, diagnostics } = parseByline(line, timeZone, file, at + 1);
    return { byline, sawHighlights: true, next: at + 2, diagnostics };
  }
  const twoLines = readNameThenDates(lines, at, end, file, timeZone);
  if (twoLines) return twoLines;
  // Without the HIGHLIGHTS marker only an unmistakable byline (a Published/Updated part)
  // counts: a body paragraph may well start with "By" or hold a "|".
  if (/(^|\|)\s*(published|updated)\b/i.test(line)) {
    const { byline, diagnostics } = parseByline(line, timeZone, file, at + 1);
    return { byline, sawHighlights: false, next: at + 1, diagnostics };
  }
  return { byline: none, sawHighlights: false, next: at, diagnostics: [] };
}

/**
 * The names on one line and `Updated … | Published …` on the next (docs/format.md allows it), then
 * `HIGHLIGHTS` alone, or shared with the dates line, or no marker at all. Without the marker
 * the name line must look like names (short, no sentence end): a body may open with a one-line
 * paragraph followed by one that starts with "Updated".
 */
function readNameThenDates(
  lines: string[],
  at: number,
  end: number,
  file: string,
  timeZone: string,
): { byline: Byline; sawHighlights: boolean; next: number; diagnostics: Diagnostic[] } | null {
  if (at + 1 > end) return null;
  const names = (lines[at] as string).trim();
  const dates = (lines[at + 1] as string).trim();
  if (names === '' || DATES_LINE.test(names) || names.includes('|') || !DATES_LINE.test(dates)) return null;
  const shared = HIGHLIGHTS_SUFFIX.exec(dates);
  const markerAlone = !shared && at + 2 <= end && HIGHLIGHTS_ALONE.test((lines[at + 2] as string).trim());
  const sawHighlights = shared !== null || markerAlone;
  if (!sawHighlights && (names.length > 80 || /[.!?:;]$/.test(names))) return null;
  const parsed = parseByline(shared ? (shared[1] as string) : dates, timeZone, file, at + 2);
  return {
    byline: { ...parsed.byline, authors: splitAuthors(names) },
    sawHighlights,
    next: at + (markerAlone ? 3 : 2),
    diagnostics: parsed.diagnostics,
  };
}
