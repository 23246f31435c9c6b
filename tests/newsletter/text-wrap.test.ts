import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEXT_WIDTH, wrap } from '../../src/newsletter/text.ts';

const word = fc.string({ minLength: 1, maxLength: 90 }).map((s) => s.replace(/\s/g, 'x'));

describe('wrap', () => {
  it('keeps every word, in order, and stays within the width unless a single word is longer', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 60 }), fc.constantFrom('', '  - ', '* '), (words, bullet) => {
        const indent = ' '.repeat(bullet.length);
        const lines = wrap(words.join(' '), bullet, indent);
        expect(
          lines
            .join(' ')
            .split(/\s+/)
            .filter((w) => w && w !== '-' && w !== '*'),
        ).toEqual(words.filter((w) => w !== '-' && w !== '*'));
        for (const line of lines) {
          if ([...line].length > TEXT_WIDTH) expect(line.trim().replace(/^[-*] /, '')).not.toContain(' ');
        }
      }),
    );
  });

  it('gives hanging indents to continuation lines', () => {
    const lines = wrap('word '.repeat(40), '- ', '  ');
    expect(lines[0]?.startsWith('- word')).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('  word'))).toBe(true);
  });
});
