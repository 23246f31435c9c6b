import type { Config } from '../config/index.ts';
import type { Subscriber } from '../types.ts';
import { buildMessage, type Message, type MessageSettings } from './message.ts';
import { preferencesUrlFor } from './preferences-link.ts';
import { type EditionRenders, renderFor } from './renders.ts';
import { unsubscribeToken, unsubscribeUrlFor } from './unsubscribe.ts';

export type Compose = (
  subscriber: Pick<Subscriber, 'id' | 'email' | 'name' | 'topics'>,
  messageId?: string,
) => Message | null;

/** The list's sender, reply-to and List-* headers, from the config. */
export function messageSettings(config: Config): MessageSettings {
  return {
    from: { name: config.delivery.from.name, address: config.delivery.from.email },
    replyTo: config.delivery.replyTo ?? null,
    listId: config.delivery.listId,
    listName: config.site.title,
    unsubscribeMailto: config.delivery.unsubscribeMailto ?? null,
  };
}

/**
 * One subscriber's message: the render for their topics with their own signed unsubscribe and
 * preferences links;
 * null when their topics have no story this edition.
 */
export function messageComposer(input: {
  editionId: string;
  renders: EditionRenders;
  settings: MessageSettings;
  endpoint: URL;
  /** The preferences page (`preferencesEndpoint(config)`); without it the unsubscribe link stands in. */
  preferencesEndpoint?: URL;
  signingKey: string;
  /** The Date header: the send time. */
  date: () => string;
  /** The VERP return path and signed token a bounce report is traced back by (none for a test send). */
  trace: (subscriberId: number) => { returnPath: string; token: string } | null;
}): Compose {
  return (subscriber, messageId) => {
    const rendered = renderFor(input.renders, subscriber.topics);
    if (!rendered) return null;
    return buildMessage({
      rendered,
      editionId: input.editionId,
      recipient: subscriber,
      settings: input.settings,
      unsubscribeUrl: unsubscribeUrlFor(
        input.endpoint,
        unsubscribeToken(input.signingKey, subscriber.id, subscriber.email),
      ),
      ...(input.preferencesEndpoint
        ? {
            preferencesUrl: preferencesUrlFor(
              input.preferencesEndpoint,
              input.signingKey,
              subscriber.id,
              subscriber.email,
            ),
          }
        : {}),
      date: input.date(),
      ...(messageId ? { messageId } : {}),
      trace: subscriber.id > 0 ? input.trace(subscriber.id) : null,
    });
  };
}
