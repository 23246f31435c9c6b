import { combine, fmix32 } from './hash.ts';

/**
 * Word shingles: the hashes of every run of `size` consecutive tokens, as a sorted set.
 * Five words is long enough that two different stories rarely share a shingle unless they
 * share a phrase (names and topic words alone do not make one), and short enough that a
 * corrected figure or an added sentence touches only a handful of them.
 */
export const BODY_SHINGLE_WORDS = 5;

/** Shingle hashes of `tokens[0..count)`, sorted ascending with duplicates removed. */
export function shingleSet(tokens: Uint32Array, count: number, size: number): Uint32Array {
  if (count <= 0) return new Uint32Array(0);
  // A text shorter than one shingle is one shingle: all of it.
  const width = Math.min(size, count);
  const shingleCount = count - width + 1;
  const hashes = new Uint32Array(shingleCount);
  for (let start = 0; start < shingleCount; start++) {
    let hash = width;
    for (let offset = 0; offset < width; offset++) hash = combine(hash, tokens[start + offset] as number);
    hashes[start] = fmix32(hash);
  }
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
