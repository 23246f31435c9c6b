import { fmix32 } from './hash.ts';

/**
 * MinHash signatures by one-permutation hashing (Li, Owen & Zhang 2012) with rotation
 * densification (Shrivastava & Li 2014). Classic MinHash hashes every shingle once per
 * signature slot (64 × ~300 shingles × 100k articles is two billion hashes); one permutation
 * hashes each shingle once, uses its top bits to pick a slot and keeps the minimum of the
 * rest per slot. Two signatures agree in a slot with probability ≈ the Jaccard similarity of
 * the shingle sets, which is what the LSH bands need.
 */
export const SIGNATURE_SLOTS = 64;
const SLOT_BITS = 6;
const VALUE_MASK = (1 << (32 - SLOT_BITS)) - 1;
const EMPTY = 0xffffffff;
/** Decorrelates slot choice from the shingle hash, which is itself used as a set key. */
const SEED = 0x5bd1e995;

/**
 * Writes the signature of the first `count` shingle hashes (repeats allowed: a minimum does
 * not care) into `out[offset .. offset + SIGNATURE_SLOTS)`. An empty set writes nothing
 * meaningful; callers do not index empty sets.
 */
export function writeSignature(
  shingles: Uint32Array,
  out: Uint32Array,
  offset: number,
  count = shingles.length,
): void {
  out.fill(EMPTY, offset, offset + SIGNATURE_SLOTS);
  for (let i = 0; i < count; i++) {
    const hash = fmix32((shingles[i] as number) ^ SEED);
    const slot = offset + (hash >>> (32 - SLOT_BITS));
    const value = hash & VALUE_MASK;
    if (value < (out[slot] as number)) out[slot] = value;
  }
  densify(out, offset);
}

/**
 * Short texts leave slots empty. Each empty slot borrows the value of the next filled slot to
 * its right (circularly), marked by the distance so that it cannot equal a real value: two
 * sets then agree on a borrowed slot exactly when they agree on the slot it came from.
 */
function densify(out: Uint32Array, offset: number): void {
  let anyFilled = false;
  for (let slot = 0; slot < SIGNATURE_SLOTS; slot++) {
    if (out[offset + slot] !== EMPTY) anyFilled = true;
  }
  if (!anyFilled) return;
  for (let slot = 0; slot < SIGNATURE_SLOTS; slot++) {
    if (out[offset + slot] !== EMPTY) continue;
    let distance = 1;
    let source = out[offset + ((slot + distance) % SIGNATURE_SLOTS)] as number;
    // Borrowed values (high bit set) are skipped so every borrow points at a real slot.
    while (source === EMPTY || source > VALUE_MASK) {
      distance++;
      source = out[offset + ((slot + distance) % SIGNATURE_SLOTS)] as number;
    }
    out[offset + slot] = (fmix32(source + Math.imul(distance, 0x9e3779b9)) | 0x80000000) >>> 0;
  }
}
