import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanLine, stripForbiddenChars } from '../../src/normalize/text.ts';

// Text with nothing to remove or collapse is returned without the replacing passes: the result
// must be what the passes give for any text.
const FORBIDDEN = new RegExp(
  [
    '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFD\\uFFFE\\uFFFF]',
    '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])',
    '(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
  ].join('|'),
  'g',
);
const referenceStrip = (text: string) => text.replace(FORBIDDEN, '');
const referenceClean = (text: string) => referenceStrip(text).replace(/\s+/g, ' ').trim();

const PIECES = ['a', 'B c', ' ', '  ', '\t', '\n', '\r', '\u000B', '\u000C', '\u0000', '\u0085', '\u00A0'];
PIECES.push('\u2028', '\u3000', '\uFEFF', '\uD83D', '\uDE00', '😀', '\uFDD0', '\uFFFD', '\uFFFE', '\u007F');

describe('cleanLine and stripForbiddenChars shortcuts', () => {
  it('give what the replacing passes give, for any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.constantFrom(...PIECES), { maxLength: 20 }).map((pieces) => pieces.join('')),
          fc.string({ unit: 'binary', maxLength: 20 }),
        ),
        (text) => {
          expect(stripForbiddenChars(text)).toBe(referenceStrip(text));
          expect(cleanLine(text)).toBe(referenceClean(text));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('collapse single whitespace characters other than a space, and lone surrogates at either end', () => {
    expect(cleanLine('a\u00A0b\u2028c\td')).toBe('a b c d');
    expect(cleanLine(' a b ')).toBe('a b');
    expect(stripForbiddenChars('\uDE00a\uD83D')).toBe('a');
    expect(stripForbiddenChars('😀\u000B')).toBe('😀');
  });
});
