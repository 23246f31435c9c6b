import { describe, expect, it } from 'vitest';
import { cleanLine, slugify, stripForbiddenChars, titleKey } from '../../src/normalize/index.ts';

describe('text hygiene', () => {
  it('removes what XML 1.0 forbids and keeps tabs, newlines and astral characters', () => {
    expect(stripForbiddenChars('a\u0000b\u0007c\u001Fd\u0085e\uFFFEf\uFFFD\tg\nh 😀')).toBe(
      'abcdef\tg\nh 😀',
    );
    expect(stripForbiddenChars('lone \uD800 high and \uDC00 low')).toBe('lone  high and  low');
  });

  it('strips the placeholder noncharacters the renderers reserve', () => {
    expect(stripForbiddenChars('x\uFDD0 1\uFDD1y')).toBe('x 1y');
  });

  it('collapses a line', () => {
    expect(cleanLine('  a \t b\r\n c ')).toBe('a b c');
  });

  it('slugs to lowercase ASCII, folding accents and dropping apostrophes', () => {
    expect(slugify('Élan & O’Brien’s “New” Café')).toBe('elan-obriens-new-cafe');
    expect(slugify(`${'a'.repeat(50)} ${'b'.repeat(50)}`)).toBe('a'.repeat(50));
  });

  it('reduces titles to a comparison key', () => {
    expect(titleKey('The Port’s “Big” Plan!')).toBe(titleKey("the port's big plan"));
  });
});
