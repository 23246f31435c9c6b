import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// The fast path must give exactly the key as defined for any text.
import { unicodeKey as referenceKey, titleKey } from '../../src/normalize/text.ts';

describe('titleKey fast path (ASCII, curly quotes, dashes)', () => {
  it('equals the Unicode definition for every ASCII string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 60 }), (text) => {
        expect(titleKey(text)).toBe(referenceKey(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('equals the Unicode definition for mixed text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(titleKey(text)).toBe(referenceKey(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives curly apostrophes and accents the Unicode definition', () => {
    const cases = ['The Fed’s ‘Big’ Move', 'Caf´e ´ acute', 'Élan ’n’ co', '’‘’'];
    const punctuation = '“Quoted” — dash – en… ‼ ⁇ «guillemets» no\u00A0break\u200Bzero\u2060joiner';
    for (const text of [...cases, punctuation]) expect(titleKey(text)).toBe(referenceKey(text));
    // Every General Punctuation character, alone and between words.
    for (let code = 0x2000; code <= 0x206f; code++) {
      const char = String.fromCharCode(code);
      expect(titleKey(`a${char}b ${char}`)).toBe(referenceKey(`a${char}b ${char}`));
    }
  });

  it('keys quotes, case and punctuation away', () => {
    expect(titleKey(" The Fed's `Big` Move -- 2026! ")).toBe('the feds big move 2026');
  });
});
