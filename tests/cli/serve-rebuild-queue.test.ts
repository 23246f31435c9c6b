import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPreviewServer } from '../../src/cli/serve/server.ts';
import { tempDir } from '../helpers/temp.ts';

describe('broadsheet serve: rebuild scheduling', () => {
  it('never runs two builds at once: changes during a build queue exactly one more', async () => {
    const base = tempDir('broadsheet-queue-');
    const articles = join(base, 'articles');
    mkdirSync(articles);
    mkdirSync(join(base, 'out'));
    let running = 0;
    let mostAtOnce = 0;
    const builds: string[][] = [];
    let releaseFirst: () => void = () => {};
    const firstHeld = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const server = await startPreviewServer({
      root: join(base, 'out'),
      host: '127.0.0.1',
      port: 0,
      siteTitle: () => 'Queue',
      watch: [articles],
      debounceMs: 20,
      rebuild: async (changed) => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        builds.push(changed.map((path) => path.slice(articles.length + 1)));
        if (builds.length === 1) await firstHeld;
        running--;
        return true;
      },
    });
    try {
      writeFileSync(join(articles, 'a.txt'), 'A\n');
      await expect.poll(() => builds.length, { timeout: 10_000 }).toBe(1);
      // Three saves while the first build is still running.
      writeFileSync(join(articles, 'b.txt'), 'B\n');
      writeFileSync(join(articles, 'c.txt'), 'C\n');
      writeFileSync(join(articles, '.c.txt.swp'), 'editor swap file');
      await expect
        .poll(() => server.queuedChanges().map((path) => path.slice(articles.length + 1)), {
          timeout: 10_000,
        })
        .toEqual(expect.arrayContaining(['b.txt', 'c.txt']));
      expect(builds).toHaveLength(1);
      releaseFirst();
      await expect.poll(() => builds.length, { timeout: 10_000 }).toBe(2);
      await server.idle();
      expect(mostAtOnce).toBe(1);
      expect(builds[0]).toEqual(['a.txt']);
      // One queued build covering both saves; the hidden swap file is not content.
      expect(builds[1]).toEqual(['b.txt', 'c.txt']);
    } finally {
      releaseFirst();
      await server.close();
    }
  });
});
