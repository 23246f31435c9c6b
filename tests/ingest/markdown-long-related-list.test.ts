import { describe, expect, it } from 'vitest';
import { parseText } from './helpers.ts';

// push(...items) with a list this long overflowed the call stack; parseSourceFile caught it,
// but the whole (valid) article was then lost as an internal error.
const COUNT = 200_000;

describe('a Markdown article with a 200,000-item related list', () => {
  it('keeps the article and every related title', () => {
    const related = Array.from({ length: COUNT }, (_, i) => `- Related ${i}`).join('\n');
    const text = `---\ntitle: Long list\n---\nBody.\n\n## Related articles\n${related}\n`;
    const { articles, diagnostics } = parseText(text, 'long.md', { maxFileBytes: 16 * 1024 * 1024 });
    expect(diagnostics).toEqual([]);
    expect(articles[0]?.related).toHaveLength(COUNT);
    expect(articles[0]?.related.at(-1)).toBe(`Related ${COUNT - 1}`);
  });
});
