import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type WatchSession, watchBuilds } from '../../src/cli/commands/build-watch.ts';
import { createContext } from '../../src/cli/context.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { openState } from '../../src/state/db.ts';
import { listEditions } from '../../src/state/editions.ts';
import { tempDir } from '../helpers/temp.ts';

const repo = resolve(import.meta.dirname, '../..');
let dir: string;
let session: WatchSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  dir = tempDir('bs-watch-');
  cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
  writeFileSync(
    join(dir, 'broadsheet.config.json'),
    JSON.stringify({
      site: { title: 'The Harbor City Ledger' },
      paths: { templates: join(repo, 'templates') },
    }),
  );
  return dir;
}

const page = (slug: string) => {
  try {
    return readFileSync(join(dir, 'out', 'articles', slug, 'index.html'), 'utf8');
  } catch {
    return '';
  }
};

describe('broadsheet build --watch', () => {
  it('publishes each save into out/ and the real state, records no edition, and leaves nothing for a cold build to do', async () => {
    project();
    const config = join(dir, 'broadsheet.config.json');
    session = watchBuilds({ config, quiet: true }, { newsletter: true });
    await session.idle();
    const slug = 'transit-board-backs-tram-extension-to-the-airport';
    expect(page(slug)).toContain('Transit Board Backs Tram Extension');

    const article = join(dir, 'articles', '2026-10-03-tram-extension-vote.txt');
    writeFileSync(
      article,
      readFileSync(article, 'utf8').replace('in January.', 'in January, officials said.'),
    );
    await expect.poll(() => page(slug), { timeout: 20_000 }).toContain('in January, officials said.');
    await session.idle();
    await session.close();

    const state = openState(join(dir, '.broadsheet', 'state.db'));
    try {
      expect(listEditions(state)).toEqual([]);
      expect(state.prepare('SELECT count(*) FROM item_identities').pluck().get()).toBeGreaterThan(20);
    } finally {
      state.close();
    }
    // A new process building the same files and state finds every output up to date.
    const report = await runPipeline(createContext({ config, quiet: true }), {
      newsletter: true,
      recordEdition: false,
    });
    expect(report.written).toMatchObject({ written: 0, removed: 0, rendered: 0 });
    expect(report.written.unchanged).toBeGreaterThan(20);
  });

  it('keeps the last good output while the config is invalid, and builds again once it is fixed', async () => {
    project();
    const config = join(dir, 'broadsheet.config.json');
    const valid = readFileSync(config, 'utf8');
    session = watchBuilds({ config, quiet: true }, { newsletter: true });
    await session.idle();
    const front = () => readFileSync(join(dir, 'out', 'index.html'), 'utf8');
    const before = front();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      writeFileSync(config, JSON.stringify({ site: { baseUrl: 'not a url' } }));
      await expect
        .poll(() => stderr.mock.calls.map(([text]) => String(text)).join(''), { timeout: 20_000 })
        .toMatch(/baseUrl/);
      await session.idle();
      expect(front()).toBe(before);
    } finally {
      stderr.mockRestore();
    }
    writeFileSync(config, valid.replace('The Harbor City Ledger', 'The Harbor City Gazette'));
    await expect.poll(front, { timeout: 20_000 }).toContain('The Harbor City Gazette');
  });
});
