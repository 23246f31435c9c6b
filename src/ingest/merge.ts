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
    const key = titleKey(article.title);
    let bucket = byTitle.get(key);
    if (bucket === undefined) {
      bucket = { groups: [], byParagraph: new Map(), emptyBody: [] };
      byTitle.set(key, bucket);
    }
    const group = findCopyGroup(bucket, article);
    if (group) {
      group.push(article);
      continue;
    }
    const created = [article];
    groups.push(created);
    addGroup(bucket, created);
  }
  return groups.map((group) => (group.length === 1 ? (group[0] as Article) : mergeGroup(group)));
}

/**
 * The groups under one title key, indexed by the paragraphs of each group's first article:
 * many different stories under one headline ("Weather update") are not compared one by one.
 */
interface TitleBucket {
  groups: { copies: Article[]; paragraphs: Set<string> }[];
  /** Paragraph key → indexes into `groups` whose first article has that paragraph. */
  byParagraph: Map<string, number[]>;
  /** Indexes into `groups` whose first article has no body (a copy of anything). */
  emptyBody: number[];
}

function addGroup(bucket: TitleBucket, copies: Article[]): void {
  const index = bucket.groups.length;
  const paragraphs = new Set((copies[0] as Article).body.map(paragraphKey));
  bucket.groups.push({ copies, paragraphs });
  if (paragraphs.size === 0) bucket.emptyBody.push(index);
  for (const key of paragraphs) {
    const list = bucket.byParagraph.get(key);
    if (list) list.push(index);
    else bucket.byParagraph.set(key, [index]);
  }
}

/** The earliest group whose first article `article` is a copy of, if any. */
function findCopyGroup(bucket: TitleBucket, article: Article): Article[] | undefined {
  if (article.body.length === 0) return bucket.groups[0]?.copies;
  const keys = article.body.map(paragraphKey);
  // Only groups sharing a paragraph (or with no body at all) can pass the test below.
  const candidates = new Set(bucket.emptyBody);
  for (const key of keys) for (const index of bucket.byParagraph.get(key) ?? []) candidates.add(index);
  for (const index of [...candidates].sort((a, b) => a - b)) {
    const group = bucket.groups[index] as TitleBucket['groups'][number];
    if (sharesBody(group.copies[0] as Article, group.paragraphs, keys)) return group.copies;
  }
  return undefined;
}

export function titleKey(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function paragraphKey(paragraph: string): string {
  return titleKey(paragraph);
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
  const seen = new Set(out.map(titleKey));
  for (const item of lists.slice(1).flat()) {
    const key = titleKey(item);
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
  };
}
