import { createRequire } from 'node:module';
import { closest, distance } from 'fastest-levenshtein';
import type GrayMatter from 'gray-matter';
import type { DiagnosticCode } from '../diagnostic-codes.ts';
import type { Article, Diagnostic } from '../types.ts';
import { splitAuthors } from './byline.ts';
import { isWritableInstant, parseDate } from './dates.ts';
import { MEDIA_KEYS, mediaOf } from './media.ts';
import { formatIso } from './zones.ts';

const require = createRequire(import.meta.url);
let loadedGrayMatter: typeof GrayMatter | undefined;

/**
 * gray-matter (CommonJS) loaded on the first Markdown file actually parsed: a build whose
 * files all come from the parse cache never needs it, and it cost ~25 ms of every start-up.
 */
function grayMatter(): typeof GrayMatter {
  loadedGrayMatter ??= require('gray-matter') as typeof GrayMatter;
  return loadedGrayMatter;
}

const KNOWN_KEYS = new Set([
  'title',
  'date',
  'published',
  'updated',
  'author',
  'authors',
  'tags',
  'highlights',
  'related',
  'canonical',
  'canonical_url',
  'canonicalUrl',
  ...MEDIA_KEYS,
]);

const ANALYSIS_HEADING = /^#{1,6}\s+what this might mean\s*:?\s*#*\s*$/i;
const RELATED_HEADING = /^#{1,6}\s+related(?: articles)?\s*:?\s*#*\s*$/i;
const TITLE_HEADING = /^#\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

export interface ParsedMarkdown {
  articles: Article[];
  diagnostics: Diagnostic[];
}

/**
 * A Markdown article: YAML front matter for the metadata, then Markdown blocks (split on blank
 * lines, fenced code kept whole). A `## What this might mean` heading starts the analysis; a
 * `## Related articles` heading followed by a list adds related titles.
 */
export function parseMarkdown(text: string, file: string, timeZone: string): ParsedMarkdown {
  const diagnostics: Diagnostic[] = [];
  const lines = text.split('\n');
  let data: Record<string, unknown>;
  let content: string;
  let matterText: string;
  if (text.startsWith('---\n') && !/\n---[ \t]*(\n|$)/.test(text.slice(3))) {
    // Checked first: YAML would otherwise report a confusing error deep in the body text.
    return frontMatterError(
      file,
      1,
      'front matter opened with "---" on line 1 is never closed by a "---" line',
    );
  }
  const language = frontMatterLanguage(text);
  if (language !== null && !READ_LANGUAGES.has(language.toLowerCase()))
    return frontMatterError(
      file,
      1,
      `front matter in "${language}" is not read: only YAML (a plain "---" line) or JSON ("---json")`,
    );
  try {
    // Passing options turns off gray-matter's content-keyed cache, which would hand back
    // (and let us mutate) a previous file's parsed data. The engines that run code are
    // replaced even so (frontMatterLanguage already refused them): see READ_LANGUAGES.
    const parsed = grayMatter()(text, { engines: NO_CODE_ENGINES });
    data = (parsed.data ?? {}) as Record<string, unknown>;
    content = parsed.content;
    matterText = parsed.matter ?? '';
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message.split('\n')[0];
    // The matter text starts with the newline after the opening `---` (file line 1), so
    // its 0-based line N is the file's 1-based line N + 1.
    return frontMatterError(
      file,
      mark?.line !== undefined ? mark.line + 1 : 1,
      `invalid YAML front matter: ${reason}`,
    );
  }
  const matterLines = matterText === '' ? 0 : matterText.split('\n').length;
  const structural = checkFrontMatterShape(text, data, file);
  if (structural !== null) return { articles: [], diagnostics: [structural] };
  const keyLine = (key: string): number => {
    const index = lines.slice(0, matterLines + 1).findIndex((line) => line.startsWith(`${key}:`));
    return index === -1 ? 1 : index + 1;
  };
  const warn = (code: DiagnosticCode, key: string, message: string) =>
    diagnostics.push({ severity: 'warning', code, file, line: keyLine(key), message });

  for (const key of Object.keys(data)) {
    if (!KNOWN_KEYS.has(key))
      warn(
        'ingest/unknown-front-matter-key',
        key,
        `unknown front matter key "${key}" ignored${didYouMean(key, KNOWN_KEYS)}`,
      );
  }

  // Body lines start after the front matter; keep file line numbers for diagnostics.
  const bodyOffset =
    matterText === '' && !text.startsWith('---') ? 0 : lines.length - content.split('\n').length;
  const blocks = splitBlocks(content);
  let title = stringValue(data.title);
  if (title === '' && blocks.length > 0) {
    const heading = TITLE_HEADING.exec(blocks[0] as string);
    if (heading && !(blocks[0] as string).includes('\n')) {
      title = (heading[1] as string).trim();
      blocks.shift();
    }
  }
  if (title === '') {
    return {
      articles: [],
      diagnostics: [
        ...diagnostics,
        {
          severity: 'error',
          code: 'ingest/missing-title',
          file,
          line: 1,
          message: 'Markdown article has no title (front matter "title:" or a leading "# " heading)',
        },
      ],
    };
  }
  const sections = splitSections(blocks);
  const date = (key: string): string | null => {
    const value = data[key];
    if (value === undefined || value === null || value === '') return null;
    const iso = dateValue(value, rawScalar(matterText, key), timeZone);
    if (iso === null) warn('ingest/bad-date', key, `unrecognised ${key} date "${String(value)}"; left empty`);
    return iso;
  };
  const canonicalKey = ['canonical', 'canonical_url', 'canonicalUrl'].find(
    (k) => stringValue(data[k]) !== '',
  );
  const article: Article = {
    title,
    authors: listValue(data.authors ?? data.author, splitAuthors),
    published: data.date !== undefined ? date('date') : date('published'),
    updated: date('updated'),
    highlights: listValue(data.highlights),
    body: sections.body,
    analysis: sections.analysis,
    related: [...listValue(data.related), ...sections.related],
    tags: listValue(data.tags, (s) => s.split(',')),
    canonicalUrl: canonicalKey ? stringValue(data[canonicalKey]) : null,
    format: 'markdown',
    sources: [{ file, startLine: 1, endLine: lastNonBlankLine(lines) }],
    mergedFrom: [],
  };
  const media = mediaOf(data, content, bodyOffset, { line: keyLine, warn });
  if (media !== null) article.media = media;
  if (article.canonicalUrl !== null && !/^https?:\/\//i.test(article.canonicalUrl)) {
    warn(
      'ingest/bad-canonical-url',
      canonicalKey as string,
      `canonical URL "${article.canonicalUrl}" is not absolute http(s); ignored`,
    );
    article.canonicalUrl = null;
  }
  if (article.body.length === 0) {
    diagnostics.push({
      severity: 'warning',
      code: 'ingest/empty-body',
      file,
      line: bodyOffset + 1,
      message: `article "${title}" has no body`,
    });
  }
  return { articles: [article], diagnostics };
}

/**
 * "; did you mean author?" for a key one or two edits from a known one (`authr`, `titel`): a
 * typo otherwise drops the field silently but for a warning that does not say which was meant.
 */
export function didYouMean(key: string, known: ReadonlySet<string>): string {
  const best = closest(key.toLowerCase(), [...known]);
  const edits = distance(key.toLowerCase(), best);
  return edits > 0 && edits <= Math.min(2, Math.ceil(best.length / 3)) ? `; did you mean ${best}?` : '';
}

/**
 * The front matter languages read. gray-matter takes the language from the opening line
 * (`---js`) and, for JavaScript, evaluates the block with `eval`: an article file, which comes
 * from a scraper, an export or a contributor, would run code on the machine that builds (with
 * its SMTP and database credentials). Only data languages are read.
 */
const READ_LANGUAGES = new Set(['', 'yaml', 'yml', 'json']);

const refuseCode = (): never => {
  throw new Error('front matter that runs code is not read');
};
const NO_CODE_ENGINES = {
  javascript: { parse: refuseCode },
  js: { parse: refuseCode },
  coffee: { parse: refuseCode },
  coffeescript: { parse: refuseCode },
  cson: { parse: refuseCode },
};

/**
 * The language named after the opening `---` (trimmed; '' for none), as gray-matter reads it,
 * or null when the file has no front matter (`----` is a Markdown rule, not an opener).
 */
function frontMatterLanguage(text: string): string | null {
  if (!text.startsWith('---') || text.charAt(3) === '-') return null;
  const end = text.search(/\r?\n/);
  return (end === -1 ? text.slice(3) : text.slice(3, end)).trim();
}

function frontMatterError(file: string, line: number, message: string): ParsedMarkdown {
  return {
    articles: [],
    diagnostics: [{ severity: 'error', code: 'ingest/bad-front-matter', file, line, message }],
  };
}

/** Front matter that parsed but cannot be an article's metadata. */
function checkFrontMatterShape(text: string, data: unknown, file: string): Diagnostic | null {
  const error = (message: string, line = 1): Diagnostic => ({
    severity: 'error',
    code: 'ingest/bad-front-matter',
    file,
    line,
    message,
  });
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return error('front matter must be "key: value" lines, not a list or a single value');
  }
  const title = (data as Record<string, unknown>).title;
  if (title !== undefined && title !== null && typeof title === 'object') {
    const line = text.split('\n').findIndex((l) => l.startsWith('title:')) + 1;
    return error('front matter "title" must be text', line || 1);
  }
  return null;
}

function lastNonBlankLine(lines: string[]): number {
  let i = lines.length - 1;
  while (i > 0 && (lines[i] as string).trim() === '') i--;
  return i + 1;
}

function stringValue(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** A YAML list, or one string (split by `split`): front matter is written both ways. */
function listValue(value: unknown, split: (s: string) => string[] = (s) => [s]): string[] {
  const items = Array.isArray(value) ? value.map(stringValue) : split(stringValue(value));
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * YAML turns `date: 2026-10-05` into a Date at UTC midnight, which would shift the day for a
 * publisher west of Greenwich. The source text is what the author meant, so read that.
 */
function dateValue(value: unknown, raw: string | null, timeZone: string): string | null {
  // YAML would roll `2026-13-45` over into 2027; the text is the truth, invalid stays invalid.
  if (raw !== null && raw !== '') return parseDate(raw, timeZone);
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) || !isWritableInstant(ms)
      ? null
      : formatIso(Math.floor(ms / 1000) * 1000, timeZone);
  }
  return parseDate(stringValue(value), timeZone);
}

function rawScalar(matterText: string, key: string): string | null {
  const line = matterText.split('\n').find((l) => l.startsWith(`${key}:`));
  if (line === undefined) return null;
  const raw = line
    .slice(key.length + 1)
    .replace(/\s+#.*$/, '')
    .trim();
  return raw.replace(/^(['"])(.*)\1$/, '$2');
}

/** Blocks are runs of non-blank lines; a fenced code block is one block, blank lines and all. */
export function splitBlocks(content: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    if (current.length > 0) blocks.push(current.join('\n'));
    current = [];
  };
  for (const line of content.split('\n')) {
    const fenceMatch = FENCE.exec(line);
    if (fence !== null) {
      current.push(line);
      if (fenceMatch && fenceMatch[1] === fence) fence = null;
      continue;
    }
    if (fenceMatch) fence = fenceMatch[1] as string;
    if (line.trim() === '' && fence === null) flush();
    else current.push(line.replace(/\s+$/, ''));
  }
  flush();
  return blocks;
}

function splitSections(blocks: string[]): { body: string[]; analysis: string[]; related: string[] } {
  const out = { body: [] as string[], analysis: [] as string[], related: [] as string[] };
  let section: 'body' | 'analysis' | 'related' = 'body';
  for (const block of blocks) {
    const firstLine = block.split('\n')[0] as string;
    if (ANALYSIS_HEADING.test(firstLine)) {
      section = 'analysis';
      const rest = block.split('\n').slice(1).join('\n').trim();
      if (rest !== '') out.analysis.push(rest);
      continue;
    }
    if (RELATED_HEADING.test(firstLine)) {
      section = 'related';
      // Loops, not push(...items): a related list can be longer than a call takes arguments.
      for (const item of listItems(block.split('\n').slice(1))) out.related.push(item);
      continue;
    }
    if (section === 'related') {
      const items = listItems(block.split('\n'));
      if (items.length === 0) out.body.push(block); // prose after the related list is still the article's text
      for (const item of items) out.related.push(item);
      continue;
    }
    out[section].push(block);
  }
  return out;
}

function listItems(lines: string[]): string[] {
  return lines
    .map((line) => /^\s*[-*+]\s+(.+)$/.exec(line)?.[1]?.trim())
    .filter((item): item is string => item !== undefined && item !== '');
}
