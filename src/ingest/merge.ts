import type { Article } from '../types.ts';

/**
 * Folds copies of the same article within one file into one (FORMAT.md: the real export holds
 * an article twice, only one copy with the byline). Two articles are copies when their titles
 * match once case and punctuation are ignored and their bodies share paragraphs; same headline
 * with a different body is a different story and stays separate. Cross-file duplicates are the
 * dedupe stage's work, not this one's.
 */
export function mergeCopiesInFile(articles: Article[]): Article[] {
  const groups: Article[][] = [];
  // Copies share a title key, so only groups under the same key are compared: comparing with
  // every earlier group made a dump of thousands of articles quadratic (8,000 took ~40 s).
  const byTitle = new Map<string, TitleBucket>();
  for (const article of articles) {
    const key = copyKey(article.title);
    const created = [article];
    groups.push(created);
    const bucket = byTitle.get(key);
    if (bucket === undefined) {
      // Most titles are unique in their file: the paragraph keys of a bucket's first group are
      // only taken when a second article arrives under the same title.
      byTitle.set(key, { groups: [{ copies: created, paragraphs: null }], byParagraph: null, emptyBody: [] });
      continue;
    }
    const group = findCopyGroup(bucket, article);
    if (group) {
      group.push(article);
      groups.pop();
      continue;
    }
    addGroup(bucket, created, article.body.map(paragraphKey));
  }
  return groups.map((group) => (group.length === 1 ? (group[0] as Article) : mergeGroup(group)));
}

/**
 * The groups under one title key, indexed by the paragraphs of each group's first article:
 * many different stories under one headline ("Weather update") are not compared one by one.
 */
interface TitleBucket {
  /** `paragraphs` is null until the bucket is indexed (see `indexBucket`). */
  groups: { copies: Article[]; paragraphs: Set<string> | null }[];
  /** Paragraph key → indexes into `groups` whose first article has that paragraph; null until indexed. */
  byParagraph: Map<string, number[]> | null;
  /** Indexes into `groups` whose first article has no body (a copy of anything). */
  emptyBody: number[];
}

/** Takes the paragraph keys of the bucket's only group, the first time another article needs them. */
function indexBucket(bucket: TitleBucket): Map<string, number[]> {
  const byParagraph = new Map<string, number[]>();
  bucket.byParagraph = byParagraph;
  const first = bucket.groups[0] as TitleBucket['groups'][number];
  bucket.groups.length = 0;
  addGroup(bucket, first.copies, (first.copies[0] as Article).body.map(paragraphKey));
  return byParagraph;
}

function addGroup(bucket: TitleBucket, copies: Article[], keys: string[]): void {
  const index = bucket.groups.length;
  const paragraphs = new Set(keys);
  bucket.groups.push({ copies, paragraphs });
  if (paragraphs.size === 0) bucket.emptyBody.push(index);
  const byParagraph = bucket.byParagraph as Map<string, number[]>;
  for (const key of paragraphs) {
    const list = byParagraph.get(key);
    if (list) list.push(index);
    else byParagraph.set(key, [index]);
  }
}

/** The earliest group whose first article `article` is a copy of, if any. */
function findCopyGroup(bucket: TitleBucket, article: Article): Article[] | undefined {
  if (article.body.length === 0) return bucket.groups[0]?.copies;
  const byParagraph = bucket.byParagraph ?? indexBucket(bucket);
  const keys = article.body.map(paragraphKey);
  // Only groups sharing a paragraph (or with no body at all) can pass the test below.
  const candidates = new Set(bucket.emptyBody);
  for (const key of keys) for (const index of byParagraph.get(key) ?? []) candidates.add(index);
  for (const index of [...candidates].sort((a, b) => a - b)) {
    const group = bucket.groups[index] as TitleBucket['groups'][number];
    if (sharesBody(group.copies[0] as Article, group.paragraphs as Set<string>, keys)) return group.copies;
  }
  return undefined;
}

/**
 * What copies of one article in one file share: case, punctuation and spacing removed after
 * NFKC. Not normalize's `titleKey` (which also drops accents, to match related titles loosely):
 * two copies of one article carry the same accents, and the stricter key splits fewer stories.
 * `unicodeCopyKey` is the definition; text made only of printable ASCII, ordinary whitespace
 * and the common typographic punctuation below (most text) gets the same key without NFKC and
 * Unicode-class regexes, several times faster: NFKC leaves all of it unchanged except U+00A0
 * and U+2026, which become a space and "...", and every character of it that is not a letter
 * or digit is punctuation, a symbol or whitespace, so it separates words.
 */
export function copyKey(title: string): string {
  if (FAST_KEY.test(title))
    return title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return unicodeCopyKey(title);
}

/** Printable ASCII, tab, CR, LF, no-break space, guillemets, en and em dashes, curly quotes, ellipsis. */
const FAST_KEY = /^[ -~\t\n\r\u00A0\u00AB\u00BB\u2013\u2014\u2018\u2019\u201C\u201D\u2026]*$/;

/** The copy key's definition for any text; `copyKey` gives the same result, faster. */
export function unicodeCopyKey(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function paragraphKey(paragraph: string): string {
  return copyKey(paragraph);
}

/** For two articles with the same title key, `a` and the paragraph keys of `b`: copies? */
function sharesBody(a: Article, aKeys: Set<string>, bKeys: string[]): boolean {
  if (a.body.length === 0 || bKeys.length === 0) return true;
  const shared = bKeys.filter((key) => aKeys.has(key)).length;
  // Half the shorter body in common: a copy cut short or lightly edited still matches.
  return shared * 2 >= Math.min(a.body.length, bKeys.length);
}

function textLength(paragraphs: string[]): number {
  return paragraphs.reduce((n, p) => n + p.length, 0);
}

/** The longest list wins (the complete copy); ties go to the earlier copy. */
function mostComplete(lists: string[][]): string[] {
  return lists.reduce((best, list) => (textLength(list) > textLength(best) ? list : best), []);
}

/** The first copy's list as written, then what the other copies add (compared loosely). */
function unionInOrder(lists: string[][]): string[] {
  const out = [...(lists[0] ?? [])];
  const seen = new Set(out.map(copyKey));
  for (const item of lists.slice(1).flat()) {
    const key = copyKey(item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/**
 * The merged article: the complete body, the byline and dates from whichever copy has them,
 * the most complete list of each other field. The first copy in the file is canonical
 * (`sources[0]`); the later ones are listed in `mergedFrom`.
 */
function mergeGroup(copies: Article[]): Article {
  const first = copies[0] as Article;
  const withByline = copies.find((c) => c.authors.length > 0);
  const firstWith = <K extends 'published' | 'updated' | 'canonicalUrl'>(key: K) =>
    copies.find((c) => c[key] !== null)?.[key] ?? null;
  const later = copies.slice(1);
  const media = copies.find((c) => c.media)?.media;
  return {
    title: first.title,
    authors: withByline ? withByline.authors : [],
    published: firstWith('published'),
    updated: firstWith('updated'),
    highlights: mostComplete(copies.map((c) => c.highlights)),
    body: mostComplete(copies.map((c) => c.body)),
    analysis: mostComplete(copies.map((c) => c.analysis)),
    related: unionInOrder(copies.map((c) => c.related)),
    tags: unionInOrder(copies.map((c) => c.tags)),
    canonicalUrl: firstWith('canonicalUrl'),
    format: first.format,
    sources: copies.flatMap((c) => c.sources),
    mergedFrom: [...first.mergedFrom, ...later.flatMap((c) => [...c.sources, ...c.mergedFrom])],
    ...(media ? { media } : {}),
  };
}
