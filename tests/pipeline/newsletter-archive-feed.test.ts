import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DateTime } from 'luxon';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/cli/context.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { tempDir } from '../helpers/temp.ts';
import { readTree } from './build-site-helpers.ts';

const repo = resolve(import.meta.dirname, '../..');
const EPOCH = 1_795_600_000; // 2026-11-24: the first edition takes the week before

async function build(dir: string, epoch: number, newsletter: boolean): Promise<void> {
  const ctx = createContext({ config: join(dir, 'broadsheet.config.json'), quiet: true });
  const now = DateTime.fromSeconds(epoch).setZone(ctx.loaded.config.site.timeZone);
  await runPipeline({ ...ctx, now }, { newsletter });
}

function publication(): string {
  const dir = tempDir('bs-archive-feed-');
  cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
  writeFileSync(
    join(dir, 'broadsheet.config.json'),
    JSON.stringify({ site: { title: 'The Ledger' }, paths: { templates: join(repo, 'templates') } }),
  );
  return dir;
}

/** Every published file that names the archive feed, by path. */
function linksToArchiveFeed(dir: string): string[] {
  return [...readTree(join(dir, 'out'))]
    .filter(([, text]) => text.includes('newsletter/feed.xml'))
    .map(([path]) => path)
    .sort();
}

describe('the newsletter archive feed', () => {
  it('is not published, nor linked, before the first edition', async () => {
    const dir = publication();
    await build(dir, EPOCH, false);
    const out = join(dir, 'out');
    expect(existsSync(join(out, 'newsletter/index.html'))).toBe(true);
    expect(existsSync(join(out, 'newsletter/feed.xml'))).toBe(false);
    expect(linksToArchiveFeed(dir)).toEqual([]);
    expect(readFileSync(join(out, 'newsletter/index.html'), 'utf8')).toContain('No editions yet.');
  });

  it('appears with the first edition, dated by it, and the archive page links it', async () => {
    const dir = publication();
    await build(dir, EPOCH, false);
    await build(dir, EPOCH + 86_400, true);
    const xml = readFileSync(join(dir, 'out/newsletter/feed.xml'), 'utf8');
    const feed = await new Parser().parseString(xml);
    expect(feed.items).toHaveLength(1);
    const edition = feed.items[0];
    expect(edition?.link).toMatch(/\/newsletter\/.+\/$/);
    // The feed's own date is its newest edition's end: never the epoch, never the build's clock.
    const updated = xml.match(/<feed[\s\S]*?<updated>([^<]+)<\/updated>/)?.[1] ?? '';
    expect(Date.parse(updated)).toBe(Date.parse(edition?.isoDate ?? ''));
    expect(Date.parse(updated)).toBeGreaterThan(EPOCH * 1000);
    expect(linksToArchiveFeed(dir)).toContain('newsletter/index.html');
  });
});
