import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline/run.ts';
import { getStoredEdition } from '../../src/state/editions.ts';
import { loadIdentities } from '../../src/state/items.ts';
import { siteConfig, siteContext, tempProject } from './build-site-helpers.ts';

const SAMPLES = resolve(import.meta.dirname, '../../articles');

describe('a build whose writing fails', () => {
  it('throws, writes nothing, and leaves every id the recorded edition names in the state', async () => {
    const root = tempProject();
    cpSync(SAMPLES, join(root, 'articles'), { recursive: true });
    // out/ is a file, so no output folder can be made: the write fails after the newsletter ran.
    writeFileSync(join(root, 'out'), 'not a folder');
    const ctx = siteContext(root, '2026-11-24T16:00:00Z', siteConfig());
    await expect(runPipeline(ctx, { newsletter: true })).rejects.toThrow();
    expect(existsSync(join(root, 'out', 'rss.xml'))).toBe(false);
    const db = ctx.openState();
    try {
      const edition = getStoredEdition(db, 'latest');
      expect(edition, 'the sample articles make an edition at this date').not.toBeNull();
      const named =
        edition?.edition.sections.flatMap((section) => section.items.map((item) => item.id)) ?? [];
      expect(named.length).toBeGreaterThan(0);
      const kept = new Set(loadIdentities(db).map((identity) => identity.id));
      for (const id of named) expect(kept.has(id), id).toBe(true);
    } finally {
      db.close();
    }
  });
});
