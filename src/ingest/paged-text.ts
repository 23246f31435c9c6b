/**
 * Paged story text: an Article (or Item) whose `body` and `analysis` are not kept in memory but
 * loaded each time they are read, from wherever the caller keeps them (the parse cache).
 *
 * Why: the paragraphs are most of an archive's size. At 100,000 stories they are ~300 MB of
 * characters, more than every other field together, yet each stage needs one story's text at a
 * time (a fingerprint, a hash, a page). Getters keep the `string[]` fields of `Article` and
 * `Item`, so no stage changes how it reads them; only code that copies a story must keep the
 * text paged (`withFields`, `withTextOf`, `mapText`), since a spread would load and keep it.
 *
 * A few stories loaded last are remembered (`RECENT`): a stage often reads `body` twice in a
 * row (`body.length > 0 ? body : …`), and a page renders body and analysis together.
 */

/** The paged part of a story. */
export interface StoryText {
  body: string[];
  analysis: string[];
}

/** Loads one story's text; throws with a message naming the file when it cannot. */
export type TextLoader = () => StoryText;

const loaders = new WeakMap<object, TextLoader>();

/** How many loaded texts are kept for the next read (a handful of stories, a few KB each). */
const RECENT = 8;
const recent: { load: TextLoader; text: StoryText }[] = [];

function loadRecent(load: TextLoader): StoryText {
  const at = recent.findIndex((entry) => entry.load === load);
  if (at >= 0) {
    const [entry] = recent.splice(at, 1);
    recent.unshift(entry as { load: TextLoader; text: StoryText });
    return (entry as { text: StoryText }).text;
  }
  const text = load();
  recent.unshift({ load, text });
  if (recent.length > RECENT) recent.pop();
  return text;
}

/**
 * A copy of `target` whose body and analysis are paged: read through `load`, never stored.
 * Enumerable, like plain fields, so JSON and spreads still see the text (and load it). Body and
 * analysis keep the place they have among `target`'s keys: a paged story serializes (and so
 * hashes, in render keys and edition JSON) exactly like one whose text is in memory.
 */
export function pageText<T extends object>(target: T, load: TextLoader): T & StoryText {
  // A new object with the fields added in order. Redefining a data field as an accessor would
  // turn the object into a slow dictionary (~1.6 KB more per story); the getters are shared,
  // so paged stories of one shape share a hidden class.
  const paged: Record<string, unknown> = {};
  const fields = Object.keys(target);
  if (!fields.includes('body')) fields.push('body');
  if (!fields.includes('analysis')) fields.push('analysis');
  for (const key of fields) {
    if (key === 'body') Object.defineProperty(paged, key, BODY);
    else if (key === 'analysis') Object.defineProperty(paged, key, ANALYSIS);
    else {
      // A field worked out on each read (an item's summary) stays one: copied, not evaluated.
      // Not `field` itself: its explicit `set: undefined` gives every copy a hidden class of its
      // own, and V8 turns the object into a dictionary (~1.6 KB more per story).
      const field = Object.getOwnPropertyDescriptor(target, key);
      if (field?.get)
        Object.defineProperty(paged, key, { get: field.get, enumerable: true, configurable: true });
      else paged[key] = field?.value;
    }
  }
  loaders.set(paged, load);
  return paged as T & StoryText;
}

const BODY: PropertyDescriptor = {
  get(this: object) {
    return loadRecent(loaders.get(this) as TextLoader).body;
  },
  enumerable: true,
  configurable: true,
};

const ANALYSIS: PropertyDescriptor = {
  get(this: object) {
    return loadRecent(loaders.get(this) as TextLoader).analysis;
  },
  enumerable: true,
  configurable: true,
};

export function isPaged(story: StoryText): boolean {
  return loaders.has(story);
}

/** Forgets the remembered texts (tests that count loads). */
export function forgetRecentText(): void {
  recent.length = 0;
}

/**
 * A copy of `story` with `fields` replaced. Paged text stays paged: `{ ...story }` would load
 * it and keep it on the copy.
 */
export function withFields<T extends StoryText>(story: T, fields: Partial<T>): T {
  const load = loaders.get(story);
  if (!load) return { ...story, ...fields };
  return pageText(Object.assign(shellOf(story), fields), load) as unknown as T;
}

/** Placeholder text, so a literal gets its keys in the usual order before `withTextOf`. */
export const NO_TEXT = Object.freeze([]) as unknown as string[];

/**
 * `target` given the text of `source`: the same arrays when they are in memory, the same
 * loader when they are paged. Give `target` `body: NO_TEXT, analysis: NO_TEXT` first to fix
 * where the keys go.
 */
export function withTextOf<T extends object>(target: T, source: StoryText): T & StoryText {
  const load = loaders.get(source);
  if (load) return pageText(target, load);
  return Object.assign(target, { body: source.body, analysis: source.analysis });
}

/**
 * `target` given `transform` of the text of `source`: computed now when the text is in memory,
 * on every load when it is paged (a transform must be cheap and pure).
 */
export function mapText<T extends object>(
  target: T,
  source: StoryText,
  transform: (text: StoryText) => StoryText,
): T & StoryText {
  const load = loaders.get(source);
  if (!load) return Object.assign(target, transform({ body: source.body, analysis: source.analysis }));
  return pageText(target, () => transform(loadRecent(load)));
}

/**
 * `target` given the body of `bodyFrom` and the analysis of `analysisFrom` (none: empty), paged
 * when either is: a merged story takes its text from two copies.
 */
export function combineText<T extends object>(
  target: T,
  bodyFrom: StoryText,
  analysisFrom: StoryText | undefined,
): T & StoryText {
  const text = () => ({ body: bodyFrom.body, analysis: analysisFrom?.analysis ?? [] });
  const paged = loaders.has(bodyFrom) || (analysisFrom !== undefined && loaders.has(analysisFrom));
  return paged ? pageText(target, text) : Object.assign(target, text());
}

/** A copy of every field, with the text as placeholders in their places (nothing loaded). */
export function shellOf<T extends StoryText>(story: T): T {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(story)) {
    copy[key] = key === 'body' || key === 'analysis' ? NO_TEXT : (story as Record<string, unknown>)[key];
  }
  return copy as T;
}

declare const textInMemory: unique symbol;

/**
 * A story that may be spread: its text is in memory, or placeholders. The brand is how
 * tests/ingest/story-copies.test.ts tells a safe spread from one that would load paged text.
 */
export type Spreadable<T> = T & { readonly [textInMemory]: true };

/** The story itself when its text is in memory, else its fields with placeholder text (nothing loaded). */
export function spreadable<T extends StoryText>(story: T): Spreadable<T> {
  return (loaders.has(story) ? shellOf(story) : story) as Spreadable<T>;
}

/** Every field but the text, without loading it. */
export function withoutText<T extends StoryText>(story: T): Omit<T, 'body' | 'analysis'> {
  const { body: _body, analysis: _analysis, ...rest } = shellOf(story);
  return rest;
}

/** Characters of body and analysis: what keeping the text in memory costs. */
export function textChars(stories: StoryText[]): number {
  let chars = 0;
  for (const story of stories) {
    for (const block of story.body) chars += block.length;
    for (const block of story.analysis) chars += block.length;
  }
  return chars;
}
