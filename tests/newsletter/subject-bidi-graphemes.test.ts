import { describe, expect, it } from 'vitest';
import { makeEdition, makeItem } from './helpers.ts';

const REORDERING = /[\u202A-\u202E\u2066-\u2069]/;
const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });
const clusters = (text: string) => [...segmenter.segment(text)].map((s) => s.segment);

// The Subject and preheader are what an inbox lists: a title that reached them with U+202E
// showed "Invoice exe.png"; a preheader cut inside a ZWJ family showed a stray joiner.
describe('edition subject and preheader', () => {
  it('carry no bidi override, even from a title that was never normalised', () => {
    const edition = makeEdition([
      makeItem({ title: 'Invoice \u202Egnp.exe\u202C attached', highlights: ['Paid \u2066in full\u2069.'] }),
    ]);
    expect(edition.subject).not.toMatch(REORDERING);
    expect(edition.subject).toContain('Invoice gnp.exe attached');
    expect(edition.preheader).not.toMatch(REORDERING);
  });

  it('the preheader is cut between grapheme clusters', () => {
    for (let shift = 0; shift < 12; shift++) {
      const highlight = 'x'.repeat(100 + shift) + '👨‍👩‍👧‍👦'.repeat(10);
      const { preheader } = makeEdition([makeItem({ highlights: [highlight] })]);
      const cut = preheader.slice(0, preheader.indexOf('…'));
      const kept = clusters(cut);
      expect(kept).toEqual(clusters(highlight).slice(0, kept.length));
    }
  });
});
