/**
 * Dedupe benchmark: `node --import tsx tests/bench/dedupe.ts [counts…]` (default 1000 10000 100000).
 *
 * Builds a synthetic corpus in memory from a seeded PRNG (same count → same corpus), runs
 * `dedupeArticles` over it and prints time, throughput, candidate pairs, recall on the planted
 * duplicates, false merges and peak RSS. The corpus plants the cases the tests cover by hand:
 * ~10% near-duplicates (corrected figure, added sentence, headline punctuation, quotes and
 * whitespace, another related list, another date format, truncated copies, exact copies, a
 * copy without byline) and ~5% next-day follow-ups that share people, places and title words
 * with an earlier story but not its sentences (they must stay apart).
 *
 * No timed assertions anywhere: this prints numbers, it does not judge them.
 */
import { pathToFileURL } from 'node:url';
import { dedupeArticlesWithStats } from '../../src/dedupe/index.ts';
import type { Article } from '../../src/types.ts';
import { Rng } from './corpus.ts';

export interface DedupeBenchResult {
  articles: number;
  /** Wall time of the dedupe call. */
  seconds: number;
  /** CPU time (user + system) of the dedupe call: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  articlesPerSecond: number;
  candidatePairs: number;
  /** Planted duplicate copies found in their original's article. */
  plantedFound: number;
  planted: number;
  /** Distinct stories wrongly folded into another story's article. */
  falseMerges: number;
  /** Articles out (should equal the number of distinct stories). */
  articlesOut: number;
  stories: number;
  /** Resident memory just before dedupe ran (the corpus itself), and the peak after. */
  rssBeforeMb: number;
  peakRssMb: number;
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness and invented vocabulary.

const FUNCTION_WORDS =
  'the of and to in a that for on with as by at from its their this was is are were has have had will would could after before while over under about into than more also but not who which when where said'.split(
    ' ',
  );

function inventWords(rng: Rng, count: number, syllables: [number, number]): string[] {
  const onsets = 'b br c ch cl d dr f fl g gr h j k l m n p pl pr qu r s sh sl st t th tr v w z'.split(' ');
  const vowels = 'a e i o u ai ea ee ou io oa'.split(' ');
  const codas = ['', '', 'n', 'r', 's', 't', 'l', 'm', 'nd', 'st', 'ck', 'rt', 'ng', 'x'];
  const words = new Set<string>();
  while (words.size < count) {
    let word = '';
    const n = rng.int(syllables[0], syllables[1]);
    for (let i = 0; i < n; i++) word += rng.pick(onsets) + rng.pick(vowels) + rng.pick(codas);
    if (word.length >= 3) words.add(word);
  }
  return [...words];
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

interface Lexicon {
  words: string[];
  names: string[];
  places: string[];
}

function lexicon(): Lexicon {
  const rng = new Rng(0x5eed);
  return {
    words: inventWords(rng, 12_000, [1, 3]),
    names: inventWords(rng, 3000, [2, 3]).map(capitalize),
    places: inventWords(rng, 1500, [2, 3]).map(capitalize),
  };
}

// ---------------------------------------------------------------------------------------------
// Stories: a topic (people, place, title words) and sentences drawn around it.

interface Topic {
  people: string[];
  place: string;
  titleWords: string[];
}

function makeTopic(rng: Rng, lex: Lexicon): Topic {
  return {
    people: [0, 1, 2].map(() => `${rng.pick(lex.names)} ${rng.pick(lex.names)}`),
    place: rng.pick(lex.places),
    titleWords: [0, 1, 2, 3].map(() => rng.skewed(lex.words)),
  };
}

function sentence(rng: Rng, lex: Lexicon, topic: Topic): string {
  const length = rng.int(10, 25);
  const out: string[] = [];
  for (let i = 0; i < length; i++) {
    const roll = rng.next();
    if (roll < 0.4) out.push(rng.skewed(FUNCTION_WORDS));
    else if (roll < 0.45) out.push(rng.pick(topic.people));
    else if (roll < 0.48) out.push(topic.place);
    else if (roll < 0.51) out.push(String(rng.int(2, 5000)));
    else if (roll < 0.55) out.push(rng.pick(topic.titleWords));
    else out.push(rng.skewed(lex.words));
  }
  let text = `${capitalize(out.join(' '))}.`;
  if (rng.chance(0.12)) text = `"${text.slice(0, -1)}," ${rng.pick(topic.people)} said.`;
  return text;
}

function storyArticle(rng: Rng, lex: Lexicon, topic: Topic, file: string): Article {
  const titleWords = [
    ...topic.titleWords.slice(0, 3),
    topic.place,
    rng.skewed(lex.words),
    rng.skewed(lex.words),
  ];
  const body = Array.from({ length: rng.int(4, 6) }, () =>
    Array.from({ length: rng.int(2, 4) }, () => sentence(rng, lex, topic)).join(' '),
  );
  const day = rng.int(1, 28);
  return {
    title: titleWords.map(capitalize).join(' '),
    authors: [rng.pick(topic.people)],
    published: `2026-03-${String(day).padStart(2, '0')}T09:00:00.000-05:00`,
    updated: null,
    highlights: Array.from({ length: rng.int(2, 4) }, () => sentence(rng, lex, topic)),
    body,
    analysis: rng.chance(0.5) ? [sentence(rng, lex, topic)] : [],
    related: Array.from({ length: rng.int(0, 3) }, () => capitalize(rng.skewed(lex.words))),
    tags: [],
    canonicalUrl: null,
    format: 'text',
    sources: [{ file, startLine: 1, endLine: 20 }],
    mergedFrom: [],
  };
}

/** The next day's report: same people, place and title words; new sentences, one background line. */
function followUp(rng: Rng, lex: Lexicon, topic: Topic, original: Article, file: string): Article {
  const next = storyArticle(rng, lex, topic, file);
  const background = (original.body[1] ?? '').split('. ')[0] ?? '';
  next.body[next.body.length - 1] += ` ${background}.`;
  return next;
}

const NEAR_DUPLICATE_KINDS = [
  'corrected-figure',
  'added-sentence',
  'headline-punctuation',
  'quotes-and-whitespace',
  'related-list',
  'date-format',
  'truncated',
  'exact',
  'no-byline',
] as const;

function nearDuplicate(rng: Rng, lex: Lexicon, topic: Topic, original: Article, file: string): Article {
  const copy: Article = structuredClone(original);
  copy.sources = [{ file, startLine: 1, endLine: 20 }];
  const at = rng.int(0, copy.body.length - 1);
  switch (rng.pick(NEAR_DUPLICATE_KINDS)) {
    case 'corrected-figure':
      copy.body[at] = (copy.body[at] as string).replace(/\d+/, (n) => String(Number(n) + 1));
      break;
    case 'added-sentence':
      copy.body[at] += ` ${sentence(rng, lex, topic)}`;
      break;
    case 'headline-punctuation':
      copy.title = `${copy.title.toLowerCase()}: ${rng.chance(0.5) ? '!' : '?'}`;
      break;
    case 'quotes-and-whitespace':
      copy.body = copy.body.map((p) => `  ${p.replace(/"([^"]*)"/g, '\u201c$1\u201d').replace(/ /g, '  ')}`);
      break;
    case 'related-list':
      copy.related = [capitalize(rng.pick(lex.words)), capitalize(rng.pick(lex.words))];
      break;
    case 'date-format':
      copy.published = copy.published?.replace('T09:00:00.000-05:00', 'T14:00:00.000+00:00') ?? null;
      break;
    case 'truncated': {
      const keep = rng.int(1, copy.body.length - 1);
      const cut = copy.body[keep] as string;
      copy.body = [...copy.body.slice(0, keep), cut.slice(0, rng.int(10, cut.length - 1))];
      copy.analysis = [];
      copy.related = [];
      break;
    }
    case 'no-byline':
      copy.authors = [];
      copy.published = null;
      break;
    default:
      break;
  }
  return copy;
}

interface Corpus {
  articles: Article[];
  /** file → story id: copies of one story share an id. */
  storyOf: Map<string, number>;
  planted: number;
  stories: number;
}

/** `count` articles: ≈85% originals, ≈10% near-duplicates of them, ≈5% next-day follow-ups. */
export function makeCorpus(count: number, seed = 1): Corpus {
  const lex = lexicon();
  const rng = new Rng(seed * 0x9e3779b1 + count);
  const articles: Article[] = [];
  const storyOf = new Map<string, number>();
  const originals: { article: Article; topic: Topic; story: number }[] = [];
  let stories = 0;
  let planted = 0;
  for (let i = 0; i < count; i++) {
    const file = `bench/${String(i).padStart(6, '0')}.txt`;
    const roll = rng.next();
    const earlier = originals.length > 0 ? rng.pick(originals) : null;
    let article: Article;
    if (earlier && roll < 0.1) {
      article = nearDuplicate(rng, lex, earlier.topic, earlier.article, file);
      storyOf.set(file, earlier.story);
      planted++;
    } else {
      const topic = earlier && roll < 0.15 ? earlier.topic : makeTopic(rng, lex);
      article =
        earlier && roll < 0.15
          ? followUp(rng, lex, topic, earlier.article, file)
          : storyArticle(rng, lex, topic, file);
      storyOf.set(file, stories);
      originals.push({ article, topic, story: stories });
      stories++;
    }
    articles.push(article);
  }
  // Copies arrive in any order, not originals first.
  for (let i = articles.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [articles[i], articles[j]] = [articles[j] as Article, articles[i] as Article];
  }
  return { articles, storyOf, planted, stories };
}

// ---------------------------------------------------------------------------------------------

/** Runs dedupe over a synthetic corpus of `count` articles and scores it against the plan. */
export function benchDedupe(count: number, seed = 1): DedupeBenchResult {
  const corpus = makeCorpus(count, seed);
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = dedupeArticlesWithStats(corpus.articles);
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (performance.now() - started) / 1000;

  let falseMerges = 0;
  // For each story, the output article holding the most of its copies; the rest are misses.
  const copiesFound = new Map<number, number>();
  for (const article of result.articles) {
    const perStory = new Map<number, number>();
    for (const source of article.sources) {
      const story = corpus.storyOf.get(source.file) as number;
      perStory.set(story, (perStory.get(story) ?? 0) + 1);
    }
    falseMerges += perStory.size - 1;
    for (const [story, copies] of perStory) {
      copiesFound.set(story, Math.max(copiesFound.get(story) ?? 0, copies));
    }
  }
  let plantedFound = 0;
  for (const copies of copiesFound.values()) plantedFound += copies - 1;

  return {
    articles: count,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    articlesPerSecond: count / seconds,
    candidatePairs: result.stats.candidatePairs,
    plantedFound,
    planted: corpus.planted,
    falseMerges,
    articlesOut: result.articles.length,
    stories: corpus.stories,
    rssBeforeMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

function formatRow(r: DedupeBenchResult): string[] {
  return [
    r.articles.toLocaleString('en-US'),
    `${r.seconds.toFixed(2)} s`,
    `${r.cpuSeconds.toFixed(2)} s`,
    Math.round(r.articlesPerSecond).toLocaleString('en-US'),
    r.candidatePairs.toLocaleString('en-US'),
    `${r.plantedFound}/${r.planted} (${((100 * r.plantedFound) / Math.max(1, r.planted)).toFixed(1)}%)`,
    String(r.falseMerges),
    `${r.articlesOut}/${r.stories}`,
    `${Math.round(r.rssBeforeMb)} MB`,
    `${Math.round(r.peakRssMb)} MB`,
  ];
}

export function formatTable(results: DedupeBenchResult[]): string {
  const header = [
    'articles',
    'time',
    'cpu time',
    'articles/s',
    'candidate pairs',
    'planted found',
    'false merges',
    'out/stories',
    'RSS before',
    'peak RSS',
  ];
  const rows = [header, ...results.map(formatRow)];
  const widths = header.map((_, c) => Math.max(...rows.map((row) => (row[c] as string).length)));
  return rows.map((row) => row.map((cell, c) => cell.padStart(widths[c] as number)).join('  ')).join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const counts = process.argv.slice(2).map(Number);
  const results: DedupeBenchResult[] = [];
  for (const count of counts.length > 0 ? counts : [1000, 10_000, 100_000]) {
    if (!Number.isInteger(count) || count < 1) throw new Error(`not a count: ${count}`);
    results.push(benchDedupe(count));
    process.stderr.write(`${count}: done\n`);
  }
  console.log(formatTable(results));
}
