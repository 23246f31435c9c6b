import type { StateDb } from '../../state/db.ts';
import type { Article, Diagnostic, Item, OutputFile } from '../../types.ts';
import type { Context } from '../context.ts';

export interface SiteResult {
  items: Item[];
  files: OutputFile[];
  diagnostics: Diagnostic[];
}

/**
 * Normalizes deduplicated articles into items (ids and first-seen dates from the state store)
 * and renders feeds and pages. CONTRACT STUB: implemented by the feeds work (issue 4).
 */
export function buildSite(_ctx: Context, _db: StateDb, _articles: Article[]): SiteResult {
  return { items: [], files: [], diagnostics: [] };
}
