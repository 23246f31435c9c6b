import { editionForTopics, type RenderedEmail } from '../newsletter/index.ts';
import type { Edition } from '../types.ts';

/**
 * The edition rendered once per distinct topic selection among the subscribers (MJML is the slow
 * part), by selection key; null where a selection has no stories.
 */
export type EditionRenders = Map<string, RenderedEmail | null>;

/** Topic selections compare as sets: "climate;transit" and "transit;climate" render once. */
export function topicsKey(topics: string[]): string {
  return [...topics].sort().join(';');
}

/** Renders the edition once per topic selection (and for no selection: all stories). */
export async function renderPerSelection(
  edition: Edition,
  subscribers: { topics: string[] }[],
  render: (view: Edition) => Promise<RenderedEmail>,
  /** The site's language: a filtered edition's words (its counts) follow it. */
  language = 'en',
): Promise<EditionRenders> {
  const renders: EditionRenders = new Map();
  const selections = new Set(['', ...subscribers.map((s) => topicsKey(s.topics))]);
  for (const key of selections) {
    const view = editionForTopics(edition, key === '' ? [] : key.split(';'), language);
    renders.set(key, view ? await render(view) : null);
  }
  return renders;
}

/** What a subscriber with these topics gets; null when none of their topics has a story. */
export function renderFor(renders: EditionRenders, topics: string[]): RenderedEmail | null {
  return renders.get(topicsKey(topics)) ?? null;
}
