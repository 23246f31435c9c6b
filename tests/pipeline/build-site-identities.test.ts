import { describe, expect, it } from 'vitest';
import { type StoredIdentity, withLazySample } from '../../src/normalize/index.ts';
import { changedIdentities } from '../../src/pipeline/site.ts';

function identity(n: number, overrides: Partial<StoredIdentity> = {}): StoredIdentity {
  return {
    id: `tag:example.com,2026-11-01:story-${n}`,
    slug: `story-${n}`,
    firstSeen: '2026-11-01T00:00:00Z',
    titleKey: `story ${n}`,
    canonicalUrl: null,
    sourceFile: `articles/${n}.txt`,
    contentHash: `hash-${n}`,
    editedAt: null,
    textSample: `words of story ${n}`,
    ...overrides,
  };
}

describe('identities saved after a build', () => {
  const known = [identity(1), identity(2), identity(3)];

  it('are none when nothing changed', () => {
    expect(
      changedIdentities(
        known.map((k) => ({ ...k })),
        known,
      ),
    ).toEqual([]);
  });

  it('are the edited and the new stories only', () => {
    const edited = identity(2, { contentHash: 'hash-2b', editedAt: '2026-11-24T12:00:00Z' });
    const moved = identity(3, { sourceFile: 'articles/renamed.txt' });
    const fresh = identity(4);
    const saved = changedIdentities([identity(1), edited, moved, fresh], known);
    expect(saved).toEqual([edited, moved, fresh]);
  });

  it('never read a text sample: equal content hashes mean equal samples', () => {
    let reads = 0;
    const lazy = (identity: StoredIdentity) => {
      const { textSample: _, ...fields } = identity;
      return withLazySample(fields, {
        sampleOf: () => {
          reads++;
          return 'words';
        },
      });
    };
    const edited = identity(2, { contentHash: 'hash-2b' });
    const saved = changedIdentities([lazy(identity(1)), lazy(edited)], known.map(lazy));
    expect(saved.map((s) => s.id)).toEqual([edited.id]);
    expect(reads).toBe(0);
  });
});
