import { cpSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/cli/context.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { openState } from '../../src/state/db.ts';
import { listEditions } from '../../src/state/editions.ts';
import { tempDir } from '../helpers/temp.ts';
import { readTree } from './build-site-helpers.ts';

const repo = resolve(import.meta.dirname, '../..');
let dir: string;

async function build(epoch: number, newsletter: boolean): Promise<void> {
  const ctx = createContext({ config: join(dir, 'broadsheet.config.json'), quiet: true });
  const now = DateTime.fromSeconds(epoch).setZone(ctx.loaded.config.site.timeZone);
  await runPipeline({ ...ctx, now }, { newsletter });
}

const newsletterFiles = () =>
  new Map([...readTree(join(dir, 'out'))].filter(([path]) => path.startsWith('newsletter')));

describe('build --no-newsletter', () => {
  it('records no edition and keeps the recorded ones published', async () => {
    dir = tempDir('bs-no-newsletter-');
    cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
    writeFileSync(
      join(dir, 'broadsheet.config.json'),
      JSON.stringify({ site: { title: 'The Ledger' }, paths: { templates: join(repo, 'templates') } }),
    );
    const epoch = 1_795_600_000; // 2026-11-24: the first edition takes the week before
    await build(epoch, true);
    const published = newsletterFiles();
    expect([...published.keys()].some((path) => path.endsWith('email.html'))).toBe(true);

    await build(epoch + 86_400, false); // a day later: an edition would be due
    expect(newsletterFiles()).toEqual(published);
    const state = openState(join(dir, '.broadsheet', 'state.db'));
    try {
      expect(listEditions(state)).toHaveLength(1);
    } finally {
      state.close();
    }
  });
});
