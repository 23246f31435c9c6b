import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FS, Liquid, type Template } from 'liquidjs';
import { escapeHtml } from './html.ts';

/**
 * The site's look: Liquid templates (`templates/site/*.liquid`) and a stylesheet
 * (`templates/site/style.css`), compiled once per build and then filled once per page.
 *
 * Output is escaped by default with the same `escapeHtml` the feeds and the email use, so a
 * title holding `<script>` or `{{ }}` comes out as text exactly as before; HTML the renderer made
 * itself (a story's body, a time element, a message with links in it) is passed in a variable
 * named `*_html` and written with `| raw`. Article text is only ever a value in the view, never
 * template source: nothing a writer types is evaluated.
 */

/** One template file: its source and the path shown in errors ("templates/site/layout.liquid"). */
export interface TemplateSource {
  file: string;
  source: string;
}

/** Site templates by name (file name without `.liquid`); `style` is the stylesheet (style.css). */
export type SiteTemplates = Record<string, TemplateSource>;

/** The templates a page is rendered from; partials (`{% render 'story-list' %}`) are any others. */
export const SITE_PAGE_TEMPLATES = [
  'layout',
  'index',
  'article',
  'feed',
  'archive',
  'archive-month',
  'not-found',
  'redirect',
  'newsletter-archive',
  'preview',
  'error',
] as const;
export type SitePageTemplate = (typeof SITE_PAGE_TEMPLATES)[number];

/** The stylesheet's name in SiteTemplates (templates/site/style.css). */
export const STYLE_TEMPLATE = 'style';

/** The templates shipped with Broadsheet: the default theme, used for any file a publisher lacks. */
export const BUNDLED_SITE_TEMPLATES = fileURLToPath(new URL('../../templates/site/', import.meta.url));

/** One problem in a publisher's template (site or email), located in the template file. */
export interface TemplateProblem {
  file: string;
  line: number | null;
  message: string;
}

/** Errors in templates, one `file:line: message` line each. */
export class TemplateProblems extends Error {
  constructor(readonly problems: TemplateProblem[]) {
    super(problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n'));
  }
}

/** A broken site template: `problems` name each file and line. Thrown before anything is written. */
export class SiteTemplateError extends TemplateProblems {
  override name = 'SiteTemplateError';
}

export interface SiteTheme {
  /** A hash of every template's source: part of every render key, so a restyle re-renders. */
  version: string;
  /** The stylesheet, inlined in every page (the pages' CSP allows no other). */
  style: string;
  /**
   * Fills one template with `view`; `globals` are seen by its partials too. Throws
   * SiteTemplateError naming the file and line of a runtime failure (an undefined variable).
   */
  render(template: SitePageTemplate, view: object, globals: object): string;
}

/**
 * Compiles every template (pages and partials alike, so a broken partial that no page uses yet
 * is still reported). Throws SiteTemplateError listing every syntax error (unknown tag, unclosed
 * block, unknown filter) with its file and line.
 */
export function compileSiteTheme(templates: SiteTemplates): SiteTheme {
  const problems: TemplateProblem[] = [];
  for (const name of [...SITE_PAGE_TEMPLATES, STYLE_TEMPLATE]) {
    if (!templates[name])
      problems.push({
        file: name === STYLE_TEMPLATE ? 'style.css' : `${name}.liquid`,
        line: null,
        message: 'template is missing',
      });
  }
  const sources = new Map<string, TemplateSource>();
  for (const [name, template] of Object.entries(templates)) {
    if (name !== STYLE_TEMPLATE)
      sources.set(name, { file: template.file, source: dropFinalNewline(template.source) });
  }
  const liquid = new Liquid({
    fs: templateFs(sources),
    root: ['.'],
    extname: '.liquid',
    relativeReference: false,
    cache: true,
    strictFilters: true,
    strictVariables: true,
    // `{% if story.summary %}` on an absent key is a test, not a mistake.
    lenientIf: true,
    outputEscape: (value: unknown) => escapeHtml(value == null ? '' : String(value)),
  });
  const compiled = new Map<string, Template[]>();
  for (const [name, template] of sources) {
    try {
      compiled.set(name, liquid.parse(template.source, template.file));
    } catch (error) {
      problems.push(liquidProblem(error, sources));
    }
  }
  if (problems.length > 0) throw new SiteTemplateError(problems);
  const version = createHash('sha1')
    .update(JSON.stringify(Object.entries(templates).sort(([a], [b]) => (a < b ? -1 : 1))))
    .digest('base64url');
  return {
    version,
    style: (templates[STYLE_TEMPLATE]?.source ?? '').trim(),
    render(template, view, globals) {
      const parsed = compiled.get(template) ?? [];
      try {
        return liquid.renderSync(parsed, view, { globals }) as string;
      } catch (error) {
        throw new SiteTemplateError([liquidProblem(error, sources)]);
      }
    },
  };
}

/** Editors end a file with a line break; a body or partial is inserted without it. */
function dropFinalNewline(source: string): string {
  return source.endsWith('\r\n') ? source.slice(0, -2) : source.endsWith('\n') ? source.slice(0, -1) : source;
}

/**
 * Partials are looked up by name in the templates read at the edge (no file is read while
 * rendering), and carry their display path, so Liquid's errors name the file to fix.
 */
function templateFs(sources: Map<string, TemplateSource>): FS {
  const byFile = new Map([...sources.values()].map((t) => [t.file, t.source]));
  const read = (file: string): string => {
    const source = byFile.get(file);
    if (source === undefined) throw new Error(`no template ${file}`);
    return source;
  };
  return {
    exists: async (file) => byFile.has(file),
    existsSync: (file) => byFile.has(file),
    readFile: async (file) => read(file),
    readFileSync: read,
    resolve: (_dir, file, ext) => {
      const name = file.endsWith(ext) ? file.slice(0, -ext.length) : file;
      return sources.get(name)?.file ?? `${name}${ext}`;
    },
    containsSync: () => true,
    contains: async () => true,
  };
}

/**
 * File and line of a LiquidJS error. Parse errors carry the file; a runtime error's token
 * carries only the source it came from, which names the file among ours.
 */
function liquidProblem(error: unknown, sources: Map<string, TemplateSource>): TemplateProblem {
  const e = error as Error & {
    token?: { file?: string; input?: string; getPosition?: () => [number, number] };
  };
  if (!e.token) throw error;
  const input = e.token.input;
  const file =
    e.token.file ?? [...sources.values()].find((t) => t.source === input)?.file ?? 'templates/site/?.liquid';
  const [line, column] = e.token.getPosition?.() ?? [null, null];
  // Liquid's message repeats the position and quotes the source below it: the first line, bare.
  const message = (e.message.split('\n')[0] ?? e.message)
    .replace(/(, file:[^,]*)?, line:\d+, col:\d+$/, '')
    .replace(
      /^ENOENT: Failed to lookup "([^"]+)" in "[^"]*"/,
      'no template "$1" (no $1.liquid in templates/site/)',
    );
  return { file, line, message: column ? `${message} (column ${column})` : message };
}

/**
 * Reads the site templates: the bundled default theme, then the publisher's `<folder>` on top,
 * file by file (restyling the stylesheet does not mean copying every template). `display` turns
 * a path into the one errors show.
 */
export function readSiteTemplates(folders: string[], display: (path: string) => string): SiteTemplates {
  const templates: SiteTemplates = {};
  for (const dir of folders) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (name.endsWith('.liquid'))
        templates[basename(name, '.liquid')] = { file: display(path), source: readFileSync(path, 'utf8') };
      else if (name === 'style.css')
        templates[STYLE_TEMPLATE] = { file: display(path), source: readFileSync(path, 'utf8') };
    }
  }
  return templates;
}

let bundled: SiteTheme | undefined;

/** The default theme, compiled once per process (for callers that pass no theme of their own). */
export function defaultSiteTheme(): SiteTheme {
  bundled ??= compileSiteTheme(
    readSiteTemplates([BUNDLED_SITE_TEMPLATES], (path) => `templates/site/${basename(path)}`),
  );
  return bundled;
}
