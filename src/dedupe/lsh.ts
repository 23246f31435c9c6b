import { combine, fmix32 } from './hash.ts';
import { SIGNATURE_SLOTS } from './minhash.ts';

/**
 * Locality-sensitive hashing over MinHash signatures: the signature is cut into bands of
 * `ROWS_PER_BAND` slots, and two articles become a candidate pair when any band agrees.
 * With 32 bands of 2 rows, a pair of Jaccard similarity s is found with probability
 * 1 − (1 − s²)³², i.e. 0.999 at s = 0.5, 0.95 at s = 0.3 and 0.73 at s = 0.2: low enough to
 * catch a copy truncated to a third of its body. Unrelated articles share no 5-word shingle
 * and so almost never meet; every candidate is verified exactly anyway.
 *
 * Buckets are found by sorting (hash, article) keys per band, not with a Map of arrays: one
 * Float64Array sort per band is linear-ish and allocates nothing per article.
 */
export const ROWS_PER_BAND = 2;
export const BANDS = SIGNATURE_SLOTS / ROWS_PER_BAND;

/**
 * A bucket larger than this (hundreds of copies of one boilerplate text) is linked as a star
 * from its first member instead of all-pairs, so one bad bucket cannot go quadratic.
 */
export const MAX_BUCKET_PAIRS = 64;

/** Article numbers are packed below the hash in one double; 2²¹ articles per run. */
const INDEX_SPAN = 2 ** 21;
export const MAX_ARTICLES = INDEX_SPAN;

/** Collects candidate pairs once each, in a form cheap to test for "seen already". */
export class PairCollector {
  private readonly seen = new Set<number>();
  readonly pairs: number[] = [];

  add(a: number, b: number): void {
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    if (low === high) return;
    const key = low * INDEX_SPAN + high;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.pairs.push(low, high);
  }

  get size(): number {
    return this.pairs.length / 2;
  }
}

/**
 * Adds to `collector` every pair of articles that share a bucket key. `keys[i]` is article
 * `members[i]`'s key; members within a bucket are taken in ascending article number, so the
 * star centre of an oversized bucket is the first article in processing order.
 */
export function pairsSharingKey(keys: Uint32Array, members: Uint32Array, collector: PairCollector): void {
  const packed = new Float64Array(members.length);
  for (let i = 0; i < members.length; i++)
    packed[i] = (keys[i] as number) * INDEX_SPAN + (members[i] as number);
  packed.sort();
  let runStart = 0;
  for (let i = 1; i <= packed.length; i++) {
    const sameKey =
      i < packed.length && bucketOf(packed[i] as number) === bucketOf(packed[runStart] as number);
    if (sameKey) continue;
    addBucketPairs(packed, runStart, i, collector);
    runStart = i;
  }
}

function bucketOf(packed: number): number {
  return Math.floor(packed / INDEX_SPAN);
}

function addBucketPairs(packed: Float64Array, start: number, end: number, collector: PairCollector): void {
  const size = end - start;
  if (size < 2) return;
  const memberAt = (i: number) => (packed[i] as number) % INDEX_SPAN;
  if (size > MAX_BUCKET_PAIRS) {
    const centre = memberAt(start);
    for (let i = start + 1; i < end; i++) collector.add(centre, memberAt(i));
    return;
  }
  for (let i = start; i < end; i++) {
    for (let j = i + 1; j < end; j++) collector.add(memberAt(i), memberAt(j));
  }
}

/** Candidate pairs from the LSH bands of the signatures of `members` (article numbers). */
export function bandCandidates(
  signatures: Uint32Array,
  members: Uint32Array,
  collector: PairCollector,
): void {
  const bandKeys = new Uint32Array(members.length * BANDS);
  for (let i = 0; i < members.length; i++) {
    for (let band = 0; band < BANDS; band++) {
      bandKeys[i * BANDS + band] = bandKey(signatures, (members[i] as number) * SIGNATURE_SLOTS, band);
    }
  }
  bandKeyCandidates(bandKeys, members, collector);
}

/** Candidate pairs from band keys worked out already: `members[i]`'s at `bandKeys[i * BANDS]`. */
export function bandKeyCandidates(
  bandKeys: Uint32Array,
  members: Uint32Array,
  collector: PairCollector,
): void {
  const keys = new Uint32Array(members.length);
  for (let band = 0; band < BANDS; band++) {
    for (let i = 0; i < members.length; i++) keys[i] = bandKeys[i * BANDS + band] as number;
    pairsSharingKey(keys, members, collector);
  }
}

/** The bucket key of one band of the signature at `offset`. */
export function bandKey(signatures: Uint32Array, offset: number, band: number): number {
  const base = offset + band * ROWS_PER_BAND;
  let hash = band;
  for (let row = 0; row < ROWS_PER_BAND; row++) hash = combine(hash, signatures[base + row] as number);
  return fmix32(hash);
}
