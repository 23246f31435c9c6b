import { describe, expect, it } from 'vitest';
import { BANDS, bandCandidates, PairCollector } from '../../src/dedupe/lsh.ts';
import { SIGNATURE_SLOTS, writeSignature } from '../../src/dedupe/minhash.ts';
import { intersectionSize, shingleSet } from '../../src/dedupe/shingles.ts';

/** A set of `size` distinct shingle-like hashes starting at `from`. */
function shingles(from: number, size: number): Uint32Array {
  const tokens = Uint32Array.from({ length: size + 4 }, (_, i) => (from + i) * 2654435761);
  return shingleSet(tokens, tokens.length, 5);
}

function signatureOf(set: Uint32Array): Uint32Array {
  const out = new Uint32Array(SIGNATURE_SLOTS);
  writeSignature(set, out, 0);
  return out;
}

function agreement(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_SLOTS; i++) if (a[i] === b[i]) same++;
  return same / SIGNATURE_SLOTS;
}

describe('shingleSet', () => {
  it('is sorted and distinct, one shingle per window', () => {
    const set = shingles(0, 100);
    expect(set).toHaveLength(100);
    expect([...set]).toEqual([...set].sort((a, b) => a - b));
  });

  it('makes a text shorter than one shingle a single shingle', () => {
    expect(shingleSet(Uint32Array.of(1, 2), 2, 5)).toHaveLength(1);
    expect(shingleSet(new Uint32Array(0), 0, 5)).toHaveLength(0);
  });

  it('counts the intersection of two sorted sets', () => {
    expect(intersectionSize(Uint32Array.of(1, 3, 5, 7), Uint32Array.of(3, 4, 5, 8))).toBe(2);
  });
});

describe('one-permutation MinHash', () => {
  it('agrees in about a Jaccard share of slots', () => {
    const base = shingles(0, 400);
    for (const overlap of [400, 300, 200, 100]) {
      const other = shingles(400 - overlap, 400);
      const jaccard = intersectionSize(base, other) / (800 - intersectionSize(base, other));
      expect(Math.abs(agreement(signatureOf(base), signatureOf(other)) - jaccard)).toBeLessThan(0.15);
    }
  });

  it('fills every slot of a short text (densification)', () => {
    const signature = signatureOf(shingles(0, 3));
    expect(signature.every((value) => value !== 0xffffffff)).toBe(true);
    expect(agreement(signature, signatureOf(shingles(0, 3)))).toBe(1);
  });

  it('gives unrelated texts almost no agreeing slot', () => {
    expect(agreement(signatureOf(shingles(0, 300)), signatureOf(shingles(10_000, 300)))).toBeLessThan(0.05);
  });
});

describe('LSH bands', () => {
  function candidates(sets: Uint32Array[]): number[] {
    const signatures = new Uint32Array(sets.length * SIGNATURE_SLOTS);
    sets.forEach((set, i) => {
      writeSignature(set, signatures, i * SIGNATURE_SLOTS);
    });
    const collector = new PairCollector();
    bandCandidates(signatures, Uint32Array.from(sets.keys()), collector);
    return collector.pairs;
  }

  it('has 32 bands over 64 slots', () => {
    expect(BANDS).toBe(32);
  });

  it('pairs a copy sharing a third of its shingles and not unrelated texts', () => {
    const full = shingles(0, 300);
    const truncated = shingles(0, 100); // Jaccard 1/3, containment 1
    const unrelated = shingles(50_000, 300);
    expect(candidates([full, unrelated, truncated])).toEqual([0, 2]);
  });

  it('reports each pair once, however many bands agree', () => {
    const set = shingles(0, 200);
    expect(candidates([set, set])).toEqual([0, 1]);
  });
});
