import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenHashes } from '../../src/dedupe/normalize-text.ts';

// Curly quotes, dashes, ellipses and no-break spaces are read as separators by the ASCII scan;
// a text with any other non-ASCII character is folded (NFKD) and scanned again. Both must give
// the same tokens: an "é" word added at the end sends the same text down the folded path.
const PIECES = ['Fed', 'rates', 'a1', ' ', '.', "'", '-', '\u00A0', '–', '—', '‘', '’', '“', '”', '…', 'ABC'];

describe('token hashes of ASCII text with typographic punctuation', () => {
  it('are those of the folded scan', () => {
    const accent = tokenHashes('é');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        const folded = tokenHashes(`${text} é`);
        expect([...tokenHashes(text), ...accent]).toEqual([...folded]);
      }),
      { numRuns: 3000 },
    );
  });

  it('separate words like their ASCII forms', () => {
    expect([...tokenHashes('“Fed’s” rates—up…again\u00A0now')]).toEqual([
      ...tokenHashes('"Fed s" rates-up...again now'),
    ]);
  });
});
