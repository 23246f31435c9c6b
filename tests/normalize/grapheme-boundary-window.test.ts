import { describe, expect, it } from 'vitest';
import { graphemeBoundaryAtOrBefore } from '../../src/normalize/text.ts';

// graphemeBoundaryAtOrBefore segments only from the nearest safe point before the cut; this
// compares it with segmenting the whole text, at every offset, on text mixing ASCII with
// clusters whose boundaries depend on what precedes them.
const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });

function fromTheStart(text: string, at: number): number {
  if (at >= text.length) return text.length;
  let boundary = 0;
  for (const { index } of segmenter.segment(text)) {
    if (index > at) break;
    boundary = index;
  }
  return boundary;
}

const PIECES = [
  'a',
  ' ',
  'é',
  'e\u0301',
  '\r\n',
  '\r',
  '\n',
  '©\uFE0F',
  '©',
  '\u200D',
  '👨‍👩‍👧‍👦',
  '🇺🇦',
  '🇺',
  '👍🏽',
  '한',
  '\u1100\u1161\u11A8',
  'क्षि',
  'あ',
  '\u0301',
  '\u00AD',
];

/** A seeded generator (mulberry32): the same strings on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('graphemeBoundaryAtOrBefore', () => {
  it('finds the same boundary as segmenting the whole text, at every offset', () => {
    const next = random(19);
    let compared = 0;
    for (let n = 0; n < 300; n++) {
      let text = '';
      const length = 1 + Math.floor(next() * 40);
      for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
      for (let at = 0; at <= text.length + 1; at++) {
        expect(graphemeBoundaryAtOrBefore(text, at), `${JSON.stringify(text)} at ${at}`).toBe(
          fromTheStart(text, at),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });
});
