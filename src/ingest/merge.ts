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
  const groupsByTitle = new Map<string, Article[][]>();
  for (const article of articles) {
    const key = titleKey(article.title);
    const sameTitle = groupsByTitle.get(key) ?? [];
    const group = sameTitle.find((g) => sharesBody(g[0] as Article, article));
    if (group) {
      group.push(article);
      continue;
    }
    const created = [article];
    groups.push(created);
    sameTitle.push(created);
    groupsByTitle.set(key, sameTitle);
  }
  return groups.map((group) => (group.length === 1 ? (group[0] as Article) : mergeGroup(group)));
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

/** For two articles with the same title key: are they copies of one article? */
function sharesBody(a: Article, b: Article): boolean {
  if (a.body.length === 0 || b.body.length === 0) return true;
  const keys = new Set(a.body.map(paragraphKey));
  const shared = b.body.filter((p) => keys.has(paragraphKey(p))).length;
  // Half the shorter body in common: a copy cut short or lightly edited still matches.
  return shared * 2 >= Math.min(a.body.length, b.body.length);
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
