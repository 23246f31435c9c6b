/**
 * 32-bit integer hashing for the hot paths. `Math.imul` keeps every step in int32 so V8 never
 * boxes a double, and nothing here allocates: a 100k-article corpus hashes tens of millions of
 * tokens.
 */

/** FNV-1a offset basis: the start value of a token hash. */
export const FNV_OFFSET = 0x811c9dc5;

export const FNV_PRIME = 0x01000193;

/** One FNV-1a step: folds a code point into a running hash. */
export function fnvStep(hash: number, codePoint: number): number {
  return Math.imul(hash ^ codePoint, FNV_PRIME);
}

/** MurmurHash3's finalizer: spreads every input bit over the output (FNV alone clusters). */
export function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Order-sensitive combination of two hashes (a step of MurmurHash3's body). */
export function combine(hash: number, value: number): number {
  let k = Math.imul(value, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let h = hash ^ k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
