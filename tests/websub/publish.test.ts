import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline/run.ts';
import { openState } from '../../src/state/db.ts';
import { publishChangedFeeds, subscriptionFeeds } from '../../src/websub/index.ts';
import { siteConfig, siteContext, tempProject } from '../pipeline/build-site-helpers.ts';
import { TestHub } from './hub.ts';

const FIXTURE = join(import.meta.dirname, '..', 'pipeline', 'fixtures', 'media-site', 'articles');
const NOW = '2026-11-24T20:00:00Z';

/** out/ served over http, so the hub can fetch the topics it is told about. */
function serve(dir: string): Promise<Server> {
  const server = createServer((request, response) => {
    const file = join(dir, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    if (!existsSync(file) || statSync(file).isDirectory()) return void response.writeHead(404).end();
    response.writeHead(200).end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

describe('broadsheet publish: WebSub pings for changed feeds only', () => {
  let hub: TestHub;
  let site: Server;
  let root: string;
  let baseUrl: string;

  const build = () => {
    const config = siteConfig({
      site: { title: 'Harbor Media Test', baseUrl, timeZone: 'UTC', hub: hub.url },
    });
    return runPipeline(siteContext(root, NOW, config), { newsletter: false });
  };
  const publish = async () => {
    const db = openState(join(root, '.broadsheet', 'state.db'));
    try {
      return await publishChangedFeeds(db, { outDir: join(root, 'out'), baseUrl, hub: hub.url, now: NOW });
    } finally {
      db.close();
    }
  };
  const feedHashes = () =>
    new Map(
      subscriptionFeeds(join(root, 'out')).map((path) => [
        new URL(path, baseUrl).href,
        createHash('sha256')
          .update(readFileSync(join(root, 'out', path)))
          .digest('hex'),
      ]),
    );

  beforeAll(async () => {
    hub = await TestHub.start();
    root = tempProject();
    cpSync(FIXTURE, join(root, 'articles'), { recursive: true });
    site = await serve(join(root, 'out'));
    baseUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
    await build();
  });
  afterAll(async () => {
    await hub?.close();
    await new Promise((done) => site?.close(done));
  });

  it('pings every subscription feed on the first run, one accepted publish request each, and the hub fetches them', async () => {
    const feeds = [...feedHashes().keys()];
    expect(feeds).toContain(`${baseUrl}rss.xml`);
    expect(feeds.some((url) => url.includes('/history/'))).toBe(false);
    const result = await publish();
    expect(result.failed).toEqual([]);
    expect(result.pinged).toEqual(feeds);
    expect(hub.received.map((r) => r.topics)).toEqual(feeds.map((topic) => [topic]));
    for (const { fetched } of hub.received) expect(fetched[0]?.status).toBe(200);
  });

  it('sends nothing when nothing changed, also after a rebuild that changed no byte', async () => {
    const before = hub.received.length;
    expect((await publish()).pinged).toEqual([]);
    await build();
    const result = await publish();
    expect(result.pinged).toEqual([]);
    expect(result.unchanged).toBe(feedHashes().size);
    expect(hub.received.length).toBe(before);
  });

  it('after an edit, pings exactly the feeds whose bytes changed', async () => {
    const old = feedHashes();
    const file = join(root, 'articles', '2026-11-21-podcast-episode-12.md');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nA correction was added on Tuesday.\n`);
    await build();
    const changed = [...feedHashes()].filter(([topic, hash]) => old.get(topic) !== hash).map(([t]) => t);
    expect(changed).toContain(`${baseUrl}atom.xml`);
    expect(changed.length).toBeLessThan(old.size);
    const before = hub.received.length;
    const result = await publish();
    expect(result.pinged).toEqual(changed);
    expect(hub.received.slice(before).flatMap((r) => r.topics)).toEqual(changed);
  });

  it('a refused ping is reported and not recorded: the next run pings that feed again', async () => {
    const file = join(root, 'articles', '2026-11-22-harbour-at-dawn.md');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nUpdated with the tide times.\n`);
    await build();
    hub.refuseNext = 1;
    const first = await publish();
    expect(first.failed).toHaveLength(1);
    expect(first.failed[0]?.reason).toBe('hub answered 503: hub busy');
    const again = await publish();
    expect(again.failed).toEqual([]);
    expect(again.pinged).toEqual([first.failed[0]?.topic]);
  });

  it('a hub that cannot be reached is a failure, not a crash', async () => {
    const db = openState(join(root, '.broadsheet', 'state.db'));
    try {
      writeFileSync(
        join(root, 'articles', 'late.md'),
        '---\ntitle: Late news\ndate: 2026-11-23\n---\n\nText.\n',
      );
      await build();
      const result = await publishChangedFeeds(db, {
        outDir: join(root, 'out'),
        baseUrl,
        hub: 'http://127.0.0.1:9/hub',
        now: NOW,
      });
      expect(result.pinged).toEqual([]);
      expect(result.failed.length).toBeGreaterThan(0);
      expect(result.failed[0]?.reason).toMatch(/^hub not reached/);
    } finally {
      db.close();
    }
  });
});
