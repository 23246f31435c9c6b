import type { Config } from '../config/index.ts';
import { traceFor } from '../deliver/bounces/index.ts';
import {
  type Compose,
  checkOneClick,
  type EditionRenders,
  messageComposer,
  messageSettings,
  preferencesEndpoint,
  renderPerSelection,
  unsubscribeEndpoint,
} from '../deliver/index.ts';
import { renderEditionEmail, TemplateError, type Templates } from '../newsletter/index.ts';
import type { Edition } from '../types.ts';

export interface EditionComposerInput {
  config: Config;
  edition: Edition;
  selections: { topics: string[] }[];
  templates: Templates;
  signingKey: string;
  /** Real mail goes out (SMTP, not a dry run): the one-click rule is enforced. */
  liveMail: boolean;
  /** The Date header of each message (the host's clock, or SOURCE_DATE_EPOCH). */
  messageDate: () => string;
  /** Where a warning the sender should see goes (the command prints it). */
  warn: (message: string) => void;
}

/**
 * The per-subscriber message maker of one edition, for every sender (the one-process SQLite
 * sender and the PostgreSQL senders alike): the newsletter stage renders once per topic
 * selection, and delivery fills in the https one-click rule, the signed unsubscribe and
 * preferences links and the bounce trace. `{ error }` when a template or the one-click rule
 * stops the send before any mail.
 */
export async function editionComposer(
  input: EditionComposerInput,
): Promise<{ compose: Compose; renders: EditionRenders } | { error: string }> {
  const { config, edition, signingKey } = input;
  let renders: EditionRenders;
  try {
    renders = await renderPerSelection(
      edition,
      input.selections,
      (view) => renderEditionEmail(view, config, input.templates),
      config.site.language,
    );
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    // A broken template is the user's to fix, before anything is sent.
    return { error: `cannot render edition ${edition.id}:\n${error.message}` };
  }
  const endpoint = unsubscribeEndpoint(config);
  const oneClick = checkOneClick(endpoint, input.liveMail);
  if (!oneClick.ok) return { error: oneClick.error };
  if (oneClick.warning) input.warn(oneClick.warning);
  const compose = messageComposer({
    editionId: edition.id,
    renders,
    settings: messageSettings(config),
    endpoint,
    preferencesEndpoint: preferencesEndpoint(config),
    signingKey,
    date: input.messageDate,
    trace: (subscriberId) => traceFor(signingKey, edition.id, subscriberId, config.delivery),
  });
  return { compose, renders };
}
