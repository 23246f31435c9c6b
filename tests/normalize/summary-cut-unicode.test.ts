import { describe, expect, it } from 'vitest';
import { SUMMARY_MAX_CHARS, summarize } from '../../src/normalize/summary.ts';

describe('a long summary with no spaces (Japanese, Chinese, emoji)', () => {
  it('is cut between characters, never inside a surrogate pair', () => {
    const lead = `${'あ'.repeat(SUMMARY_MAX_CHARS - 2)}${'😀'.repeat(5)}`;
    const summary = summarize([], [lead], 'text');
    expect(summary.endsWith('…')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    // No high surrogate without its low half, and none the other way round.
    expect(summary).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});
