import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/cli/context.ts';
import { editionItems, renderEditionEmail } from '../../src/newsletter/index.ts';
import { openState } from '../../src/state/db.ts';
import { getStoredEdition } from '../../src/state/editions.ts';
import { shippedTemplates } from '../newsletter/helpers.ts';
import { build, project } from './build-changes.ts';

// The recorded edition is what `send` renders again for a subscriber with topic preferences.
// It keeps what an email shows, not the stories' paragraphs, which no email shows: with them the
// first edition of a 100k-story archive was a 55 MB row.

describe('the recorded edition', () => {
  it('holds every story without its paragraphs, and renders the email it was built with', async () => {
    const dir = project();
    await build(dir, 1_795_600_000);
    const ctx = createContext({ config: join(dir, 'broadsheet.config.json'), quiet: true });

    const state = openState(join(dir, '.broadsheet', 'state.db'));
    try {
      const stored = getStoredEdition(state, 'latest');
      expect(stored).not.toBeNull();
      if (!stored) return;
      const items = editionItems(stored.edition);
      expect(items.length).toBeGreaterThan(3);
      for (const item of items) {
        expect(item.body).toEqual([]);
        expect(item.analysis).toEqual([]);
      }
      // What the emails show is all there.
      expect(items.some((item) => item.highlights.length > 0)).toBe(true);
      expect(items.every((item) => item.title && item.url && item.summary)).toBe(true);
      expect(items.some((item) => item.related.some((link) => link.url))).toBe(true);

      // Rendered again from the record (as `send` does), the email is the one the build made.
      const again = await renderEditionEmail(stored.edition, ctx.loaded.config, shippedTemplates());
      expect(again.html).toBe(stored.html);
      expect(again.text).toBe(stored.text);
    } finally {
      state.close();
    }
  });
});
