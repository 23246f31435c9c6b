import { combine, fmix32 } from './hash.ts';

/**
 * Word shingles: the hashes of every run of `size` consecutive tokens, as a sorted set.
 * Five words is long enough that two different stories rarely share a shingle unless they
 * share a phrase (names and topic words alone do not make one), and short enough that a
 * corrected figure or an added sentence touches only a handful of them.
 */
export const BODY_SHINGLE_WORDS = 5;

/** How many shingles `count` tokens make (a text shorter than one shingle is one shingle). */
export function shingleCount(count: number, size: number): number {
  return count <= 0 ? 0 : count - Math.min(size, count) + 1;
}

/**
 * Writes the shingle hashes of `tokens[0..count)` into `out` (at least `shingleCount` long),
 * in text order, repeats included: MinHash needs no more, and sorting is left to the few
 * articles that get verified.
 */
export function writeShingles(tokens: Uint32Array, count: number, size: number, out: Uint32Array): number {
  const total = shingleCount(count, size);
  const width = Math.min(size, count);
  for (let start = 0; start < total; start++) {
    let hash = width;
    for (let offset = 0; offset < width; offset++) hash = combine(hash, tokens[start + offset] as number);
    out[start] = fmix32(hash);
  }
  return total;
}

/** Shingle hashes of `tokens[0..count)`, sorted ascending with duplicates removed. */
export function shingleSet(tokens: Uint32Array, count: number, size: number): Uint32Array {
  const hashes = new Uint32Array(shingleCount(count, size));
  writeShingles(tokens, count, size, hashes);
  return sortedUnique(hashes);
}

/** Sorts in place and returns the distinct values (a copy only when there were repeats). */
export function sortedUnique(values: Uint32Array): Uint32Array {
  values.sort();
  let kept = 0;
  for (let i = 0; i < values.length; i++) {
    if (i === 0 || values[i] !== values[kept - 1]) values[kept++] = values[i] as number;
  }
  return kept === values.length ? values : values.slice(0, kept);
}

/** Size of the intersection of two sorted sets, by one merge pass. */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}
