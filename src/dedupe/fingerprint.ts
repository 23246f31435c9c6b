import type { Article } from '../types.ts';
import { combine, fmix32 } from './hash.ts';
import { writeSignature } from './minhash.ts';
import { appendTokenHashes, TokenBuffer, tokenHashes } from './normalize-text.ts';
import { BODY_SHINGLE_WORDS, shingleCount, shingleSet, sortedUnique, writeShingles } from './shingles.ts';

/** What dedupe compares of one article; all hashes of normalized text. */
export interface Fingerprint {
  /** 5-word shingles of the body (of the highlights when the body is empty), sorted. */
  shingles: Uint32Array;
  /** 3-word shingles of the lead (see `LEAD_MIN_WORDS`), sorted. */
  lead: Uint32Array;
  /** Distinct title tokens, sorted. */
  title: Uint32Array;
  /** Hash of the whole normalized title, to pair articles that have no text at all. */
  titleKey: number;
}

/**
 * The lead is the first paragraph of a news story (who, what, when), at most `LEAD_MAX_WORDS`
 * words; a first paragraph shorter than `LEAD_MIN_WORDS` (a dateline, a one-line standfirst)
 * is extended with the next. It must stop at the paragraph end: a new story that reuses the
 * old one's background paragraphs right after its own lead must not look like the same lead.
 */
export const LEAD_MIN_WORDS = 20;
export const LEAD_MAX_WORDS = 60;
const LEAD_SHINGLE_WORDS = 3;
/**
 * A copy truncated to its first paragraph shares little of the full copy's shingle set
 * (low Jaccard, so LSH may miss it) but always shares its opening words: those are a second
 * index key.
 */
export const LEAD_KEY_WORDS = 12;

const scratch = new TokenBuffer();
let shingleScratch = new Uint32Array(1024);

/** The text a story is compared by: its body, else (a stub) its highlights. */
function comparedText(article: Article): string[] {
  return article.body.length > 0 ? article.body : article.highlights;
}

export function fingerprint(article: Article): Fingerprint {
  scratch.clear();
  let leadLength = 0;
  // Paragraphs are one token stream: copies that split or join paragraphs still compare equal.
  for (const paragraph of comparedText(article)) {
    appendTokenHashes(paragraph, scratch);
    if (leadLength < LEAD_MIN_WORDS) leadLength = Math.min(scratch.length, LEAD_MAX_WORDS);
  }
  const tokens = scratch.view();
  const titleTokens = tokenHashes(article.title);
  return {
    shingles: shingleSet(tokens, tokens.length, BODY_SHINGLE_WORDS),
    lead: shingleSet(tokens, leadLength, LEAD_SHINGLE_WORDS),
    title: sortedUnique(titleTokens.slice()),
    titleKey: hashSequence(titleTokens, titleTokens.length),
  };
}

function hashSequence(tokens: Uint32Array, count: number): number {
  let hash = count;
  for (let i = 0; i < count; i++) hash = combine(hash, tokens[i] as number);
  return fmix32(hash);
}

/** What the candidate index needs of one article, computed in one pass without keeping sets. */
export interface IndexKeys {
  hasText: boolean;
  /** Hash of the first `LEAD_KEY_WORDS` words, or null for shorter texts. */
  leadKey: number | null;
  /** Hash of the normalized title, only for articles without text (0 otherwise). */
  titleKey: number;
}

/**
 * Writes the MinHash signature of the article's body shingles into `signatures` at `offset`
 * and returns its other index keys. This runs for every article, so it keeps nothing: the
 * full `Fingerprint` is built later, only for articles the index pairs with another.
 */
export function indexKeys(article: Article, signatures: Uint32Array, offset: number): IndexKeys {
  scratch.clear();
  for (const paragraph of comparedText(article)) appendTokenHashes(paragraph, scratch);
  const tokens = scratch.view();
  const count = shingleCount(tokens.length, BODY_SHINGLE_WORDS);
  if (count > shingleScratch.length) shingleScratch = new Uint32Array(count * 2);
  writeShingles(tokens, tokens.length, BODY_SHINGLE_WORDS, shingleScratch);
  if (count > 0) writeSignature(shingleScratch, signatures, offset, count);
  const leadKey = tokens.length >= LEAD_KEY_WORDS ? hashSequence(tokens, LEAD_KEY_WORDS) : null;
  // Only text-less articles are indexed by title; skip tokenizing titles for the rest.
  const titleKey = count > 0 ? 0 : titleHash(article.title);
  return { hasText: count > 0, leadKey, titleKey };
}

function titleHash(title: string): number {
  const tokens = tokenHashes(title);
  return hashSequence(tokens, tokens.length);
}
