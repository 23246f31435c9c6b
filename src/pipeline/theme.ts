import {
  BUNDLED_SITE_TEMPLATES,
  compileSiteTheme,
  readSiteTemplates,
  SiteTemplateError,
  type SiteTemplates,
  type SiteTheme,
} from '../render/index.ts';
import type { Diagnostic } from '../types.ts';
import type { PipelineHost } from './host.ts';
import { displayPath } from './inputs.ts';

/**
 * The site's templates could not be compiled or filled: nothing was published (out/ is still the
 * previous build). The diagnostics name each template file and line.
 */
export class SiteTemplateFailure extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.file}${d.line ? `:${d.line}` : ''}: ${d.message}`).join('\n'));
    this.name = 'SiteTemplateFailure';
  }
}

/**
 * Reads `<templates>/site/` over the bundled default theme (a file the publisher has not written
 * comes from the default) and compiles it, once per build. Throws SiteTemplateFailure.
 */
export function loadSiteTheme(host: PipelineHost): SiteTheme {
  const folders = [BUNDLED_SITE_TEMPLATES, `${host.path(host.loaded.config.paths.templates)}/site`];
  try {
    const templates = readSiteTemplates(folders, (path) => displayPath(path));
    const theme = compileSiteTheme(templates);
    sources.set(theme, templates);
    return theme;
  } catch (error) {
    throw siteTemplateFailure(error);
  }
}

const sources = new WeakMap<SiteTheme, SiteTemplates>();

/**
 * The templates a theme from loadSiteTheme was compiled from: a helper thread compiles its own
 * copy (a compiled theme holds functions, which no thread can be sent).
 */
export function templatesOf(theme: SiteTheme): SiteTemplates | undefined {
  return sources.get(theme);
}

/** A SiteTemplateError as the failure a command reports; anything else as it was. */
export function siteTemplateFailure(error: unknown): unknown {
  if (!(error instanceof SiteTemplateError)) return error;
  return new SiteTemplateFailure(
    error.problems.map(
      (p): Diagnostic => ({
        severity: 'error',
        code: 'site/template',
        message: `site template: ${p.message}; nothing was published (out/ is the previous build)`,
        file: p.file,
        ...(p.line ? { line: p.line } : {}),
      }),
    ),
  );
}
