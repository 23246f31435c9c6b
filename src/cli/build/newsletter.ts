import type { StateDb } from '../../state/db.ts';
import type { Diagnostic, Edition, Item, OutputFile } from '../../types.ts';
import type { Context } from '../context.ts';

export interface NewsletterOptions {
  /** ISO date or date-time: stories published after it. */
  since?: string;
  period?: 'daily' | 'weekly' | 'since-last';
}

export interface NewsletterResult {
  edition: Edition | null;
  files: OutputFile[];
  diagnostics: Diagnostic[];
  /** What happened, for the user: "edition 2026-11-24: 12 stories" or "no new stories since …". */
  message: string;
}

/**
 * Selects and renders the current newsletter edition plus the archive. CONTRACT STUB:
 * implemented by the newsletter work (issue 5).
 */
export async function buildNewsletter(
  _ctx: Context,
  _db: StateDb,
  _items: Item[],
  _options: NewsletterOptions,
): Promise<NewsletterResult> {
  return { edition: null, files: [], diagnostics: [], message: 'newsletter: not built yet' };
}
