import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { FEED_FILES } from '../render/model.ts';
import type { StateDb } from '../state/index.ts';
import { pingedHashes, recordPing } from '../state/index.ts';

/**
 * WebSub publishing (W3C WebSub §7, "Publishing"): after a build, tell the hub which feeds
 * changed, so subscribed readers fetch them at once instead of polling. Only feeds whose bytes
 * differ from the last accepted ping are named; nothing changed, nothing is sent.
 */

export interface PublishSettings {
  /** The build's output (out/): the subscription feeds are read from it. */
  outDir: string;
  /** The site's base URL: a feed's topic URL is its path under it. */
  baseUrl: string;
  /** The hub's URL (site.hub). */
  hub: string;
  /** ISO 8601: when the pings are recorded as sent. */
  now: string;
  /** Gives up on a hub that does not answer in this many ms (default 10 s). */
  timeoutMs?: number;
}

export interface PublishResult {
  /** Topic URLs the hub accepted a ping for. */
  pinged: string[];
  /** Feeds whose bytes had not changed since the last accepted ping. */
  unchanged: number;
  /** Pings the hub refused or never answered; retried by the next run. */
  failed: { topic: string; reason: string }[];
}

const SUBSCRIPTION_FEEDS = new Set<string>(Object.values(FEED_FILES));

/**
 * The feeds a reader subscribes to (main, topics, authors: rss.xml, atom.xml, feed.json), as
 * paths under `outDir`, sorted. Monthly archives (history/) never change once closed and are
 * not subscribed to; the hub is not told about them.
 */
export function subscriptionFeeds(outDir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SUBSCRIPTION_FEEDS.has(entry.name)) found.push(relative(outDir, path).split(sep).join('/'));
    }
  };
  walk(outDir);
  return found.sort();
}

/** Pings the hub once per changed feed, one request each (the form every hub accepts). */
export async function publishChangedFeeds(db: StateDb, settings: PublishSettings): Promise<PublishResult> {
  const last = pingedHashes(db);
  const result: PublishResult = { pinged: [], unchanged: 0, failed: [] };
  // One build folder throughout: a build publishing meanwhile swaps `out`, not this folder.
  const build = realpathSync(settings.outDir);
  for (const path of subscriptionFeeds(build)) {
    const topic = new URL(path, settings.baseUrl).href;
    const hash = createHash('sha256')
      .update(readFileSync(join(build, path)))
      .digest('hex');
    if (last.get(topic) === hash) {
      result.unchanged++;
      continue;
    }
    const refused = await ping(settings.hub, topic, settings.timeoutMs ?? 10_000);
    if (refused !== null) {
      result.failed.push({ topic, reason: refused });
      continue;
    }
    recordPing(db, topic, hash, settings.now);
    result.pinged.push(topic);
  }
  return result;
}

/**
 * One publish request: a form-encoded POST of `hub.mode=publish` and `hub.url=<topic>`, as
 * PubSubHubbub 0.4 defined it and WebSub hubs accept it. Null when the hub accepted it (2xx),
 * else why not.
 */
async function ping(hub: string, topic: string, timeoutMs: number): Promise<string | null> {
  try {
    const response = await fetch(hub, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    // The body is not needed; reading it lets the connection be reused or closed.
    const text = await response.text();
    if (response.ok) return null;
    return `hub answered ${response.status}${text.trim() ? `: ${text.trim().slice(0, 200)}` : ''}`;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return `hub not reached: ${cause ?? (error as Error).message}`;
  }
}
