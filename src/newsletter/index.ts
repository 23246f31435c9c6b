import type { Config } from '../config/schema.ts';
import type { Edition } from '../types.ts';

/**
 * Per-recipient parts are filled at send time by plain string replacement, so MJML is
 * compiled once per edition (and topic selection), never once per recipient.
 */
export const UNSUBSCRIBE_URL_PLACEHOLDER = '%%UNSUBSCRIBE_URL%%';

/** Templates by name (`layout`, `header`, `lead`, `story`, `related`, `footer`), read from templates/ by the CLI. */
export type Templates = Record<string, { file: string; source: string }>;

export interface RenderedEmail {
  subject: string;
  preheader: string;
  /** Compiled, inlined HTML containing UNSUBSCRIBE_URL_PLACEHOLDER where the link goes. */
  html: string;
  /** Plain-text version, same placeholder. */
  text: string;
}

/**
 * Renders an edition's email (HTML + text). CONTRACT STUB: implemented by the newsletter
 * work (issue 5).
 */
export async function renderEditionEmail(_edition: Edition, _config: Config, _templates: Templates): Promise<RenderedEmail> {
  throw new Error('renderEditionEmail: not implemented yet');
}

/**
 * The edition as one subscriber with topic preferences sees it: only stories in those topics
 * (all stories when `topics` is empty). Null when nothing is left for them.
 * CONTRACT STUB: implemented by the newsletter work (issue 5).
 */
export function editionForTopics(edition: Edition, topics: string[]): Edition | null {
  return topics.length === 0 ? edition : null;
}
