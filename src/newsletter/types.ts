/**
 * Per-recipient parts are filled at send time by plain string replacement, so MJML is
 * compiled once per edition (and topic selection), never once per recipient.
 */
export const UNSUBSCRIBE_URL_PLACEHOLDER = '%%UNSUBSCRIBE_URL%%';
/** The recipient's signed "manage your subscription" link (topics, pause, unsubscribe, erase). */
export const PREFERENCES_URL_PLACEHOLDER = '%%PREFERENCES_URL%%';

/**
 * Templates by name (`layout`, `header`, `lead`, `story`, `brief`, `related`, `footer`), read
 * from templates/email/ by the CLI. `file` is what errors name (a path the publisher can open).
 */
export type Templates = Record<string, { file: string; source: string }>;

export interface RenderedEmail {
  subject: string;
  preheader: string;
  /** Compiled, inlined HTML containing UNSUBSCRIBE_URL_PLACEHOLDER where the link goes. */
  html: string;
  /** Plain-text version, same placeholder. */
  text: string;
}
