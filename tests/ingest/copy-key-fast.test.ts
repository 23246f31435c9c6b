import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// The fast path must give exactly the key as defined (NFKC-based) for any text: it decides
// which copies in a file merge.
import { copyKey, unicodeCopyKey as referenceKey } from '../../src/ingest/merge.ts';

/** Every character the fast path accepts, and a few it must hand to the Unicode definition. */
const FAST = [' \t\n\r\u00A0\u00AB\u00BB\u2013\u2014\u2018\u2019\u201C\u201D\u2026'];
for (let code = 0x20; code <= 0x7e; code++) FAST.push(String.fromCharCode(code));
const CHARS = FAST.join('').split('');
const OTHERS = ['é', 'e\u0301', 'Σ', 'ﬁ', '①', '\u2017', '\u200B', '\u3000', '\u0000', '\u000B'];

describe('ingest copyKey fast path', () => {
  it('equals the NFKC definition for every ASCII string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 60 }), (text) => {
        expect(copyKey(text)).toBe(referenceKey(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('equals the NFKC definition for text mixing typographic punctuation and other characters', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CHARS, ...OTHERS), { maxLength: 50 }), (chars) => {
        const text = chars.join('');
        expect(copyKey(text)).toBe(referenceKey(text));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(copyKey(text)).toBe(referenceKey(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('equals the NFKC definition for every accepted character between words', () => {
    for (const char of CHARS) {
      const text = `A${char}b ${char}C${char}`;
      expect(copyKey(text)).toBe(referenceKey(text));
    }
  });

  it('keys case, quotes, ellipses and punctuation away', () => {
    expect(copyKey('“The Fed’s” — BIG\u00A0Move… 2026!')).toBe('the fed s big move 2026');
    expect(copyKey('ﬁnal ①')).toBe('final 1');
  });
});
