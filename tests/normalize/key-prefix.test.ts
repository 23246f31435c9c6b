import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyPrefix, unicodeKey as referenceKey, titleWords } from '../../src/normalize/text.ts';

/** keyPrefix as defined: the first words of the key of the joined, cut text. */
function reference(parts: string[], maxChars: number, maxWords: number): string {
  return titleWords(referenceKey(parts.join(' ').slice(0, maxChars)))
    .slice(0, maxWords)
    .join(' ');
}

const CHARS: string[] = ['\t', '\n', '\r', '\u00A0', '«', '»', 'é', 'e\u0301', 'ﬁ', '①', '´', 'ß', '😀'];
for (let code = 0x20; code <= 0x7e; code++) CHARS.push(String.fromCharCode(code));
for (let code = 0x2000; code <= 0x206f; code += 7) CHARS.push(String.fromCharCode(code));
const part = fc.oneof(
  fc.array(fc.constantFrom(...CHARS), { maxLength: 30 }).map((chars) => chars.join('')),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

describe('keyPrefix (the text sample of an article)', () => {
  it('is the first words of the key of the joined text, cut at maxChars', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), fc.nat(120), fc.nat(12), (parts, maxChars, maxWords) => {
        expect(keyPrefix(parts, maxChars, maxWords)).toBe(reference(parts, maxChars, maxWords));
      }),
      { numRuns: 5000 },
    );
  });

  it('cuts at a word and at a character, across parts', () => {
    const parts = ['The Fed’s “Big” Move —', '', 'rates rise again.'];
    expect(keyPrefix(parts, 1000, 100)).toBe('the feds big move rates rise again');
    expect(keyPrefix(parts, 1000, 3)).toBe('the feds big');
    expect(keyPrefix(parts, 25, 100)).toBe('the feds big move r');
    expect(keyPrefix(['Café', 'au lait'], 1000, 2)).toBe('cafe au');
    expect(keyPrefix([], 1000, 100)).toBe('');
  });
});
