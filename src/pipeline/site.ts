import type { StoredIdentity } from '../normalize/index.ts';
import { type KnownHashes, normalizeArticles } from '../normalize/index.ts';
import { planSite, type SiteOptions, type SiteTheme, siteInfoFromConfig } from '../render/index.ts';
import type { StateDb } from '../state/index.ts';
import { loadIdentities, loadRelatedMemo, saveIdentities, saveRelatedMemo } from '../state/index.ts';
import type { Article, Diagnostic, Item, PlannedOutput } from '../types.ts';
import { codeVersion } from './code-version.ts';
import type { PipelineHost } from './host.ts';
import type { BuildMemo } from './memo.ts';
import { loadSiteTheme } from './theme.ts';

export interface SiteResult {
  items: Item[];
  /** Planned, not rendered: the writer renders what changed (see writeOutputs). */
  files: PlannedOutput[];
  diagnostics: Diagnostic[];
}

/**
 * Normalizes deduplicated articles into items (ids and first-seen dates from the state store),
 * stores their identities, and plans feeds and pages (rendered later, as they are written).
 */
export function buildSite(
  host: PipelineHost,
  db: StateDb,
  articles: Article[],
  cache?: StateDb,
  memo?: BuildMemo,
): SiteResult {
  const normalized = normalizeSite(host, db, articles, cache, memo);
  const items = normalized.saveIdentities();
  return { items, diagnostics: normalized.diagnostics, files: planSiteOutputs(host, items, memo) };
}

/**
 * Normalized articles whose identities are not stored yet. The items are only handed out by
 * `saveIdentities`: nothing can record an id (the newsletter edition) or plan a page from an
 * item before its identity is stored, so a later build never assigns a recorded id anew.
 */
export interface NormalizedSite {
  diagnostics: Diagnostic[];
  /** Stores new and changed identities, then gives the items. Saves once; later calls only give. */
  saveIdentities(): Item[];
}

/**
 * buildSite's first half. A caller that lets go of the articles before `planSiteOutputs` builds
 * a large archive in less memory (the articles and identities are ~120 MiB of a 100k build
 * while its outputs are planned).
 */
export function normalizeSite(
  host: PipelineHost,
  db: StateDb,
  articles: Article[],
  cache?: StateDb,
  memo?: BuildMemo,
  /** Content hashes kept from an earlier parse (story-digests.ts), by article. */
  knownHashes?: KnownHashes,
): NormalizedSite {
  const { config } = host.loaded;
  const known = loadIdentities(db, memo?.identities);
  // Related links of the last build, reused while no story's id, title or URL changed.
  const relatedMemo = memo?.related ?? (cache ? loadRelatedMemo(cache) : undefined);
  const normalized = normalizeArticles(articles, {
    baseUrl: config.site.baseUrl,
    now: buildTime(host),
    known,
    topicRules: config.feeds.topics,
    relatedMemo,
    ...(memo ? { memo: memo.normalize } : {}),
    ...(knownHashes ? { knownHashes } : {}),
  });
  if (cache) saveRelatedMemo(cache, normalized.relatedMemo, relatedMemo);
  if (memo) memo.related = normalized.relatedMemo;
  // The saver keeps the identities only: holding `normalized` would keep the related memo
  // (a 360k-key object, ~40 MiB at 100k stories) alive until planning.
  const { identities } = normalized;
  const save = saveOnce(() =>
    saveIdentities(db, changedIdentities(identities, known), memo?.identities, known),
  );
  return { diagnostics: normalized.diagnostics, saveIdentities: givenAfter(save, normalized.items) };
}

/**
 * `items`, once `save` ran. A function of its own: a closure made in normalizeSite would share
 * its scope, and so keep the identities the saver lets go of.
 */
function givenAfter(save: () => void, items: Item[]): () => Item[] {
  return () => {
    save();
    return items;
  };
}

/** buildSite's second half: every feed and page, planned (rendered as they are written). */
export function planSiteOutputs(
  host: PipelineHost,
  items: Item[],
  memo?: BuildMemo,
  theme: SiteTheme = loadSiteTheme(host),
): PlannedOutput[] {
  return planSite(items, siteOptions(host, theme), memo?.render);
}

/** What `planSite` is given for the configured site. */
export function siteOptions(host: PipelineHost, theme: SiteTheme = loadSiteTheme(host)): SiteOptions {
  const { config } = host.loaded;
  const site = siteInfoFromConfig(config, buildTime(host));
  return {
    site,
    feedLimit: config.feeds.limit,
    authorFeeds: config.feeds.authorFeeds,
    authorContent: config.feeds.authorContent,
    codeVersion: codeVersion(),
    theme,
  };
}

/** The build's time as ISO 8601 UTC: first-seen dates, and the date of outputs that print one. */
function buildTime(host: PipelineHost): string {
  return (
    host.now.toUTC().toISO({ suppressMilliseconds: true }) ?? new Date(host.now.toMillis()).toISOString()
  );
}

/**
 * Runs `save` the first time only, then lets it go: the result lives through rendering, and the
 * identities the closure holds are ~100 MB at 100,000 stories.
 */
function saveOnce(save: () => void): () => void {
  let pending: (() => void) | undefined = save;
  return () => {
    const run = pending;
    pending = undefined;
    run?.();
  };
}

/** Only new and changed identities are written: a rebuild after one edit updates one row. */
export function changedIdentities(identities: StoredIdentity[], known: StoredIdentity[]): StoredIdentity[] {
  const stored = byId(known);
  return identities.filter((identity) => {
    const before = stored.get(identity.id);
    // A warm rebuild hands back the very object it loaded for an unchanged story.
    return before !== identity && (!before || !sameIdentity(before, identity));
  });
}

const byIdOf = new WeakMap<StoredIdentity[], Map<string, StoredIdentity>>();

/** Known identities by id, once per array: `serve` passes the same one to every rebuild. */
function byId(known: StoredIdentity[]): Map<string, StoredIdentity> {
  let map = byIdOf.get(known);
  if (!map) {
    map = new Map(known.map((identity) => [identity.id, identity]));
    byIdOf.set(known, map);
  }
  return map;
}

function sameIdentity(a: StoredIdentity, b: StoredIdentity): boolean {
  return (
    a.slug === b.slug &&
    a.firstSeen === b.firstSeen &&
    a.titleKey === b.titleKey &&
    a.canonicalUrl === b.canonicalUrl &&
    a.sourceFile === b.sourceFile &&
    a.contentHash === b.contentHash &&
    // Not the text samples (reading one is a database read or a pass over the text): the
    // sample is a function of the content the hash covers, so equal hashes mean equal samples.
    a.editedAt === b.editedAt
  );
}
