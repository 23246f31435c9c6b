import { describe, expect, it } from 'vitest';
import { SUMMARY_MAX_CHARS, summarize } from '../../src/normalize/summary.ts';

const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });
const clusters = (text: string) => [...segmenter.segment(text)].map((s) => s.segment);

// Clusters a code-unit cut can split: a ZWJ family (11 units), a flag (two regional indicators),
// a thumbs-up with a skin tone, and an e with a combining acute accent.
const CLUSTERS = ['👨‍👩‍👧‍👦', '🇺🇦', '👍🏽', 'e\u0301'];

describe('summaries are cut on grapheme boundaries', () => {
  for (const cluster of CLUSTERS) {
    it(`never inside ${JSON.stringify(cluster)}, wherever it falls against the limit`, () => {
      // No spaces: the cut cannot fall back to a word boundary, so it lands on every offset.
      for (let shift = 0; shift < 14; shift++) {
        const lead = 'あ'.repeat(SUMMARY_MAX_CHARS - 12 + shift) + cluster.repeat(12);
        const summary = summarize([], [lead], 'text');
        expect(summary.endsWith('…')).toBe(true);
        expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
        const kept = clusters(summary.slice(0, -1));
        // Every cluster kept is a whole cluster of the original, in place.
        expect(kept).toEqual(clusters(lead).slice(0, kept.length));
        expect(summary).not.toMatch(/\u200D…$/);
      }
    });
  }
});
