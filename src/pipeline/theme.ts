import {
  BUNDLED_SITE_TEMPLATES,
  compileSiteTheme,
  readSiteTemplates,
  SiteTemplateError,
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
    return compileSiteTheme(readSiteTemplates(folders, (path) => displayPath(path)));
  } catch (error) {
    throw siteTemplateFailure(error);
  }
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
