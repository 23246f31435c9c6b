import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonKeyLines, lineOf } from '../../src/config/json-lines.ts';

describe('finding the line of a key in JSON text', () => {
  it('handles nesting, arrays, escapes and braces inside strings', () => {
    const text = '\uFEFF{\n  "a": "x}\\"{[",\n  "b": [\n    1,\n    { "c": true }\n  ],\n  "d": {}\n}\n';
    const lines = jsonKeyLines(text);
    expect(lineOf(lines, ['a'])).toBe(2);
    expect(lineOf(lines, ['b', 0])).toBe(4);
    expect(lineOf(lines, ['b', 1, 'c'])).toBe(5);
    expect(lineOf(lines, ['d', 'missing'])).toBe(7);
    expect(lineOf(lines, ['nowhere'])).toBeUndefined();
  });

  it('agrees with the line JSON.stringify(…, 2) puts every top-level key on', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), (value) => {
        const text = JSON.stringify(value, null, 2);
        const lines = jsonKeyLines(text);
        const textLines = text.split('\n');
        for (const key of Object.keys(value)) {
          const line = lineOf(lines, [key]) ?? 0;
          expect(textLines[line - 1]?.startsWith(`  ${JSON.stringify(key)}:`)).toBe(true);
        }
      }),
    );
  });
});
