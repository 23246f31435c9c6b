import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/cli/context.ts';
import { normalizeSite } from '../../src/pipeline/site.ts';
import { heapLater } from '../helpers/heap.ts';
import { article } from '../render/fixtures/index.ts';
import { project } from './build-changes.ts';

// A build holds its items from normalize to the last written page; what it holds beside them
// between normalize and planning sits on the build's peak (at 100k stories, the end of normalize).

const STORIES = 2_000;
const RELATED_EACH = 60;

/** Stories with many related titles: the related memo has one entry per title (120,000). */
function crossLinked() {
  return Array.from({ length: STORIES }, (_, n) =>
    article({
      title: `Story number ${n}`,
      published: '2026-11-20T12:00:00Z',
      related: Array.from({ length: RELATED_EACH }, (_, k) => `Story number ${(n + k * 7 + 1) % STORIES}`),
    }),
  );
}

describe('what a build holds between normalize and planning', () => {
  it('is the items and the identities it has still to save, not the related memo', async () => {
    const ctx = createContext({ config: join(project(), 'broadsheet.config.json'), quiet: true });
    const db = ctx.openState();
    const cache = ctx.openCache();
    try {
      const site = normalizeSite(ctx, db, crossLinked(), cache);
      const holding = await heapLater();
      // Saving lets go of the identities (and of whatever else the saver kept).
      const items = site.saveIdentities();
      expect(items).toHaveLength(STORIES);
      const released = holding - (await heapLater());
      // The identities (each new one keeps its article until its text sample is saved) are
      // ~6.5 MB here; the memo's 120,000 keys and their table are ~12 MB more.
      expect(released).toBeLessThan(11_000_000);
      expect(items.flatMap((item) => item.related).filter((link) => link.itemId)).toHaveLength(
        STORIES * RELATED_EACH,
      );
    } finally {
      db.close();
      cache.close();
    }
  });
});
