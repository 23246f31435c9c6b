import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { killRounds } from '../bench/kill.ts';

// The sample articles, killed at random moments of a build through the real CLI. The same rounds
// at 10k stories: `node --import tsx tests/bench/kill.ts --articles 10000 --kills 20` (docs/benchmarks.md).

describe('a build killed with SIGKILL at random moments', () => {
  it('leaves out/ as the previous build or the new one, never a mix; the next build repairs it', async () => {
    const rounds = await killRounds({
      articles: resolve(import.meta.dirname, '../../articles'),
      kills: 5,
      seed: 7,
    });
    expect(rounds).toHaveLength(5);
    for (const [n, round] of rounds.entries()) {
      expect(round.seen, `round ${n + 1}`).not.toBe('mixed');
      expect(round.failure, `round ${n + 1}: a build that was not killed succeeded`).toBeNull();
      expect(
        round.leftovers,
        `round ${n + 1}: the builds folder holds the live build and its spare only`,
      ).toEqual([]);
      expect(round.equalsClean, `round ${n + 1}: the next build equals a clean one`).toBe(true);
    }
    // Not an assertion on timing: at least one kill must have hit a running build, or the test
    // proved nothing (delays are drawn up to 1.2 times a full build, from a fixed seed).
    expect(rounds.some((round) => round.killed)).toBe(true);
    // And the spare was made over in some rounds (a small change follows a small change).
    expect(rounds.some((round) => round.spareBefore)).toBe(true);
  });
});
