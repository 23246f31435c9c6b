import type { Fingerprint } from './fingerprint.ts';
import { intersectionSize } from './shingles.ts';

/**
 * The exact check behind every candidate pair. Thresholds come from the labelled pairs in
 * tests/dedupe/fixtures/pairs (distributions in docs/deduplication.md): duplicates have containment
 * ≥ 0.95 and title or lead agreement ≥ 0.95; next-day reports on the same story, with the same
 * people, have containment ≤ 0.06; features that reuse background paragraphs reach 0.75 but
 * their title (≤ 0.18) and lead (≤ 0.04) differ. Each threshold sits in a wide gap.
 */
export const THRESHOLDS = {
  /** Share of the smaller copy's 5-word shingles found in the other. */
  containment: 0.5,
  /**
   * Below this many shingles (about a sentence) containment says little — one shared phrase
   * would make a short text "contained" — so such texts must match as a whole instead.
   */
  minShinglesForContainment: 12,
  /** Jaccard similarity required of texts too short for containment. */
  shortTextJaccard: 0.8,
  /** Share of distinct title words in common (Jaccard). */
  title: 0.5,
  /** Share of the smaller lead's 3-word shingles found in the other lead. */
  lead: 0.5,
  /**
   * A shared lead stands in for a rewritten headline only if the headlines still share some
   * words (names, places): identical boilerplate ("Subscribe to read…") under unrelated
   * headlines is not one story.
   */
  titleWithSameLead: 0.2,
} as const;

export interface Similarity {
  /** |A ∩ B| / min(|A|, |B|) over body shingles: 1 for a truncated copy. */
  containment: number;
  /** |A ∩ B| / |A ∪ B| over body shingles. */
  jaccard: number;
  /** Jaccard similarity of the title word sets. */
  title: number;
  /** Containment of lead 3-word shingles. */
  lead: number;
}

export function similarity(a: Fingerprint, b: Fingerprint): Similarity {
  const shared = intersectionSize(a.shingles, b.shingles);
  const smaller = Math.min(a.shingles.length, b.shingles.length);
  const union = a.shingles.length + b.shingles.length - shared;
  const titleShared = intersectionSize(a.title, b.title);
  const titleUnion = a.title.length + b.title.length - titleShared;
  const leadShared = intersectionSize(a.lead, b.lead);
  const leadSmaller = Math.min(a.lead.length, b.lead.length);
  return {
    containment: smaller === 0 ? 0 : shared / smaller,
    jaccard: union === 0 ? 0 : shared / union,
    title: titleUnion === 0 ? 0 : titleShared / titleUnion,
    lead: leadSmaller === 0 ? 0 : leadShared / leadSmaller,
  };
}

/**
 * Same story when the text of one is (nearly) contained in the other AND they open the same
 * way: the same headline, or the same lead under a headline that still shares some words.
 * Text alone is not enough: a feature that repeats yesterday's background paragraphs under a
 * new headline and a new lead is a new story.
 */
export function isSameStory(a: Fingerprint, b: Fingerprint, sim: Similarity = similarity(a, b)): boolean {
  if (a.shingles.length === 0 || b.shingles.length === 0) return isSameEmptyStory(a, b);
  const titlesAgree = sim.title >= THRESHOLDS.title;
  const smaller = Math.min(a.shingles.length, b.shingles.length);
  if (smaller < THRESHOLDS.minShinglesForContainment) {
    // A text this short is all lead, so the lead proves nothing: "Watch the video above." under
    // two headlines is two stories. The titles must agree as well as the whole text.
    return sim.jaccard >= THRESHOLDS.shortTextJaccard && titlesAgree;
  }
  const leadsAgree = sim.lead >= THRESHOLDS.lead && sim.title >= THRESHOLDS.titleWithSameLead;
  return sim.containment >= THRESHOLDS.containment && (titlesAgree || leadsAgree);
}

/**
 * Articles with neither body nor highlights have nothing to compare but their title: they
 * are the same only when both are empty and the normalized titles are identical.
 */
function isSameEmptyStory(a: Fingerprint, b: Fingerprint): boolean {
  return (
    a.shingles.length === 0 && b.shingles.length === 0 && a.title.length > 0 && a.titleKey === b.titleKey
  );
}
