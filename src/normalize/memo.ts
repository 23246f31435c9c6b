import type { TopicRule } from '../config/index.ts';
import type { Article, Diagnostic, Item, RelatedLink, Topic } from '../types.ts';
import {
  indexKnown,
  type KnownIndex,
  matchIdentities,
  normalizeUrl,
  type StoredIdentity,
  sameKnownKeys,
} from './identity.ts';
import { itemOf } from './item.ts';
import {
  createRelatedIndex,
  linkTo,
  type RelatedIndex,
  type RelatedMemo,
  type RelatedTarget,
  relatedQueryKey,
  rememberedRank,
  sortTargets,
  targetsKey,
} from './related.ts';
import {
  type CurrentIdentity,
  cleanArticle,
  currentIdentity,
  type KnownHashes,
  nextIdentity,
  safeHttpUrl,
  storyDates,
  validDate,
  withTitle,
} from './steps.ts';
import { cleanLine, titleKey } from './text.ts';
import { assignTopics } from './topics.ts';

/**
 * What `normalizeArticles` keeps between calls for a warm rebuild (`options.memo`). Opaque:
 * hold one per build loop and pass it every time. Everything in it is keyed on the Article
 * objects passed (a WeakMap: an article no longer passed is collected with its entry) or
 * checked against this call's inputs before use, so results equal a call without it.
 */
export class NormalizeMemo {}

const states = new WeakMap<NormalizeMemo, MemoState>();

interface MemoState {
  entries: WeakMap<Article, Entry>;
  /** Stamps this call's entries: an entry stamped twice is an article passed twice. */
  calls: number;
  /** The `known` array last seen, and what was derived from it. */
  knownRef?: StoredIdentity[];
  knownIndex?: KnownIndex;
  knownSlugs?: Set<string>;
  /** The last completed call (taken out while a call runs: a throw leaves none). */
  last?: LastCall;
}

interface LastCall {
  /** Entries in source order. */
  ordered: Entry[];
  /** Entries in item order (newest first). */
  sorted: Entry[];
  /** Positions in `known` matched per ordered entry, unless matching compared text samples. */
  matched: number[] | undefined;
  targets: RelatedTarget[];
  sortedTargets: RelatedTarget[];
  targetsKey: string;
  relatedMemo: RelatedMemo;
}

/** One article object's derived values; fields after `relatedTitles` are caches checked per use. */
interface Entry {
  /** Cleaned, as sorted and matched (title possibly empty). */
  cleaned: Article;
  /** Cleaned, with "Untitled" for no title: what the item shows. */
  titled: Article;
  file: string;
  line: number;
  url: string | null;
  matchKey: string;
  own: CurrentIdentity;
  diagnostics: Diagnostic[];
  ownPublished: string | null;
  ownUpdated: string | null;
  canonicalUrl: string | null;
  relatedTitles: string[];

  stamp: number;
  index: number;
  position: number;
  hinted: number;

  topicsKey?: string;
  topics?: Topic[];

  stored?: StoredIdentity;
  storedNow?: string | null;
  identity?: StoredIdentity;

  datesFirstSeen?: string;
  datesEditedAt?: string | null;
  published?: string;
  updated?: string;
  time?: number;

  pageSlug?: string;
  pageBase?: string;
  pageUrl?: string;
  target?: RelatedTarget;

  relSelfId?: string;
  relKeys?: string[];
  relRanks?: number[];
  relLinks?: RelatedLink[];
  relFromRanks?: boolean;
  relTargets?: string;

  item?: Item;
}

export interface MemoOptions {
  baseUrl: string;
  /** Already in UTC. */
  now: string;
  host: string;
  known: StoredIdentity[];
  topicRules: TopicRule[];
  relatedMemo?: RelatedMemo;
  knownHashes?: KnownHashes;
}

export interface MemoResult {
  items: Item[];
  identities: StoredIdentity[];
  diagnostics: Diagnostic[];
  relatedMemo: RelatedMemo;
}

/**
 * `normalizeArticles` through the memo. Returns undefined when this input is one the memo
 * does not handle (the same article object twice): the caller then takes the plain path.
 */
export function normalizeWithMemo(
  articles: Article[],
  options: MemoOptions,
  memo: NormalizeMemo,
): MemoResult | undefined {
  let state = states.get(memo);
  if (!state) {
    state = { entries: new WeakMap(), calls: 0 };
    states.set(memo, state);
  }
  const stamp = ++state.calls;
  const current: Entry[] = [];
  for (let i = 0; i < articles.length; i++) {
    const article = articles[i] as Article;
    let entry = state.entries.get(article);
    if (!entry) {
      entry = createEntry(article, options.knownHashes?.(article));
      state.entries.set(article, entry);
    } else if (entry.stamp === stamp) {
      return undefined;
    }
    entry.stamp = stamp;
    entry.index = i;
    current.push(entry);
  }
  const last = state.last;
  state.last = undefined;

  const ordered = sortBySource(current, last?.ordered, stamp);
  ordered.forEach((entry, i) => {
    entry.position = i;
  });

  // Identities.
  const { known } = options;
  let knownSame = state.knownRef === known;
  if (!knownSame) {
    // A reloaded `known` (new objects, mostly equal): the index holds positions, so it stays
    // valid while every identity's id and indexed keys are where they were.
    knownSame = state.knownRef !== undefined && sameKnownKeys(state.knownRef, known);
    if (!knownSame) state.knownIndex = undefined;
    state.knownRef = known;
    state.knownSlugs = undefined;
  }
  const matches = matchesOf(ordered, known, state, knownSame ? last : undefined);
  let takenSlugs: Set<string> | undefined;
  const memoState = state;
  const context = {
    now: options.now,
    host: options.host,
    takenSlugs: () => {
      memoState.knownSlugs ??= new Set(known.map((k) => k.slug));
      takenSlugs ??= new Set(memoState.knownSlugs);
      return takenSlugs;
    },
  };
  const rulesKey = JSON.stringify(options.topicRules);
  const diagnostics: Diagnostic[] = [];
  const identities: StoredIdentity[] = [];
  const targets: RelatedTarget[] = [];
  let targetsSame = last !== undefined && last.targets.length === ordered.length;
  for (let i = 0; i < ordered.length; i++) {
    const entry = ordered[i] as Entry;
    for (const diagnostic of entry.diagnostics) diagnostics.push({ ...diagnostic });
    const identity = identityOf(entry, matches.identities[i], options.now, context);
    identities.push(identity);
    datesOf(entry, identity);
    if (entry.topicsKey !== rulesKey) {
      entry.topics = assignTopics(entry.titled, options.topicRules);
      entry.topicsKey = rulesKey;
    }
    if (entry.pageSlug !== identity.slug || entry.pageBase !== options.baseUrl) {
      entry.pageUrl = new URL(`articles/${identity.slug}/`, options.baseUrl).href;
      entry.pageSlug = identity.slug;
      entry.pageBase = options.baseUrl;
    }
    const url = entry.pageUrl as string;
    let target = entry.target;
    if (!target || target.id !== identity.id || target.url !== url) {
      target = { id: identity.id, title: entry.titled.title, url };
      entry.target = target;
    }
    targets.push(target);
    if (targetsSame) {
      const before = last?.targets[i] as RelatedTarget;
      if (
        before !== target &&
        (before.id !== target.id || before.title !== target.title || before.url !== target.url)
      )
        targetsSame = false;
    }
  }

  const related = resolveRelated(ordered, identities, targets, targetsSame ? last : undefined, last, options);

  for (let i = 0; i < ordered.length; i++) {
    const entry = ordered[i] as Entry;
    const identity = identities[i] as StoredIdentity;
    const links = entry.relLinks as RelatedLink[];
    const topics = entry.topics as Topic[];
    const published = entry.published as string;
    const updated = entry.updated as string;
    const url = entry.pageUrl as string;
    const old = entry.item;
    if (
      !old ||
      old.id !== identity.id ||
      old.slug !== identity.slug ||
      old.url !== url ||
      old.published !== published ||
      old.updated !== updated ||
      old.related !== links ||
      old.topics !== topics ||
      old.contentHash !== identity.contentHash
    ) {
      entry.item = itemOf(entry.titled, {
        identity,
        url,
        canonicalUrl: entry.canonicalUrl,
        published,
        updated,
        related: links,
        topics,
      });
    }
  }
  const sorted = sortNewestFirst(ordered, last?.sorted, stamp);
  state.last = {
    ordered,
    sorted,
    matched: matches.positions,
    targets,
    sortedTargets: related.sortedTargets,
    targetsKey: related.memo.targets,
    relatedMemo: related.memo,
  };
  return {
    items: sorted.map((entry) => entry.item as Item),
    identities,
    diagnostics,
    relatedMemo: related.memo,
  };
}

/**
 * The stored identity of each entry. The last call's positions stand when it compared no text
 * samples (its result then follows from URLs, title keys and files alone), `known` has the same
 * ids and keys at the same positions, and every entry has the same URL, title key and files.
 */
function matchesOf(
  ordered: Entry[],
  known: StoredIdentity[],
  state: MemoState,
  last: LastCall | undefined,
): { identities: (StoredIdentity | undefined)[]; positions: number[] | undefined } {
  const kept = last?.matched;
  if (kept && last && kept.length === ordered.length && sameMatchKeys(last.ordered, ordered)) {
    return {
      identities: kept.map((position) => (position === -1 ? undefined : known[position])),
      positions: kept,
    };
  }
  if (known.length === 0) return { identities: ordered.map(() => undefined), positions: undefined };
  state.knownIndex ??= indexKnown(known);
  const report = { positions: [] as number[], usedSamples: false };
  const identities = matchIdentities(
    ordered.map((e) => e.cleaned),
    known,
    {
      index: state.knownIndex,
      urls: ordered.map((e) => e.url),
      titleKeys: ordered.map((e) => e.matchKey),
      report,
    },
  );
  return { identities, positions: report.usedSamples ? undefined : report.positions };
}

function sameMatchKeys(before: Entry[], after: Entry[]): boolean {
  if (before.length !== after.length) return false;
  for (let i = 0; i < before.length; i++) {
    const a = before[i] as Entry;
    const b = after[i] as Entry;
    if (a === b) continue;
    if (a.url !== b.url || a.matchKey !== b.matchKey) return false;
    const sa = a.cleaned.sources;
    const sb = b.cleaned.sources;
    if (sa.length !== sb.length || sa.some((source, j) => source.file !== sb[j]?.file)) return false;
  }
  return true;
}

function createEntry(article: Article, contentHash: string | undefined): Entry {
  const cleaned = cleanArticle(article);
  const diagnostics: Diagnostic[] = [];
  const titled = withTitle(cleaned, diagnostics);
  const ownPublished = validDate(titled.published, 'published', titled, diagnostics);
  const ownUpdated = validDate(titled.updated, 'updated', titled, diagnostics);
  const source = cleaned.sources[0];
  return {
    cleaned,
    titled,
    file: source?.file ?? '',
    line: source?.startLine ?? 0,
    url: normalizeUrl(cleaned.canonicalUrl),
    matchKey: titleKey(cleaned.title),
    own: currentIdentity(titled, contentHash),
    diagnostics,
    ownPublished,
    ownUpdated,
    canonicalUrl: safeHttpUrl(titled.canonicalUrl),
    relatedTitles: titled.related.filter(Boolean),
    stamp: 0,
    index: 0,
    position: 0,
    hinted: 0,
    // Every field from the start: entries share one shape, so the loops over them stay fast.
    topicsKey: undefined,
    topics: undefined,
    stored: undefined,
    storedNow: undefined,
    identity: undefined,
    datesFirstSeen: undefined,
    datesEditedAt: undefined,
    published: undefined,
    updated: undefined,
    time: Number.NaN,
    pageSlug: undefined,
    pageBase: undefined,
    pageUrl: undefined,
    target: undefined,
    relSelfId: undefined,
    relKeys: undefined,
    relRanks: undefined,
    relLinks: undefined,
    relFromRanks: undefined,
    relTargets: undefined,
    item: undefined,
  };
}

/**
 * Source order, as the plain path's stable sort gives it: ties go to input order, so the order
 * is total and sorting the last call's order (nearly sorted already) gives the same result.
 * Keys a comparison cannot order consistently (a NaN line) take the plain path's sort instead.
 */
function sortBySource(current: Entry[], hint: Entry[] | undefined, stamp: number): Entry[] {
  const sane = current.every((e) => Number.isFinite(e.line));
  if (!sane) {
    return [...current].sort((a, b) => {
      if (a.file !== b.file) return a.file < b.file ? -1 : 1;
      const byLine = a.line - b.line;
      if (byLine !== 0) return byLine;
      return compareStrings(a.cleaned.title, b.cleaned.title);
    });
  }
  return withHint(current, hint, stamp).sort(
    (a, b) =>
      (a.file !== b.file ? (a.file < b.file ? -1 : 1) : 0) ||
      a.line - b.line ||
      compareStrings(a.cleaned.title, b.cleaned.title) ||
      a.index - b.index,
  );
}

/** Newest first, ties by id, then source order: the plain path's (stable) order. */
function sortNewestFirst(ordered: Entry[], hint: Entry[] | undefined, stamp: number): Entry[] {
  const byTime = (a: Entry, b: Entry) =>
    (b.time as number) - (a.time as number) || compareStrings(a.item?.id ?? '', b.item?.id ?? '');
  if (ordered.some((e) => Number.isNaN(e.time))) return [...ordered].sort(byTime);
  return withHint(ordered, hint, stamp).sort((a, b) => byTime(a, b) || a.position - b.position);
}

/** This call's entries in the last call's order, then the rest: a nearly sorted start. */
function withHint(current: Entry[], hint: Entry[] | undefined, stamp: number): Entry[] {
  if (!hint) return [...current];
  const start: Entry[] = [];
  for (const entry of hint) {
    if (entry.stamp === stamp && entry.hinted !== stamp) {
      entry.hinted = stamp;
      start.push(entry);
    }
  }
  for (const entry of current) if (entry.hinted !== stamp) start.push(entry);
  // A second sort this call (newest first) uses the same marks.
  for (const entry of start) entry.hinted = -stamp;
  return start;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function identityOf(
  entry: Entry,
  stored: StoredIdentity | undefined,
  now: string,
  context: Parameters<typeof nextIdentity>[3],
): StoredIdentity {
  if (!stored) return nextIdentity(entry.titled, undefined, entry.own, context);
  // An unedited story's identity does not depend on the build time.
  const storedNow = stored.contentHash === entry.own.contentHash ? null : now;
  // Only while `stored` is the very object: the last identity reads its sample through the
  // source of the identity it was made from, and a `known` loaded anew may have another source
  // (serve starts a new IdentityMemo for each new snapshot and closes the old ones); making the
  // identity anew is one small object.
  if (entry.identity && entry.storedNow === storedNow && entry.stored === stored) return entry.identity;
  const identity = nextIdentity(entry.titled, stored, entry.own, context);
  entry.stored = stored;
  entry.storedNow = storedNow;
  entry.identity = identity;
  return identity;
}

/** The same own properties with the same values. */
function sameFields(a: object, b: object): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || (a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key])
      return false;
  }
  return true;
}

function datesOf(entry: Entry, identity: StoredIdentity): void {
  if (
    entry.published !== undefined &&
    entry.datesFirstSeen === identity.firstSeen &&
    entry.datesEditedAt === identity.editedAt
  )
    return;
  const { published, updated } = storyDates(entry.ownPublished, entry.ownUpdated, identity);
  entry.published = published;
  entry.updated = updated;
  entry.time = Date.parse(published);
  entry.datesFirstSeen = identity.firstSeen;
  entry.datesEditedAt = identity.editedAt;
}

/**
 * Related links as `resolveAllRelated` gives them. When the targets, every lookup and the
 * memo passed in are the ones of the last call, the result is the last call's: the same memo
 * object back and each story's links from its remembered positions.
 */
function resolveRelated(
  ordered: Entry[],
  identities: StoredIdentity[],
  targets: RelatedTarget[],
  sameTargets: LastCall | undefined,
  last: LastCall | undefined,
  options: MemoOptions,
): { memo: RelatedMemo; sortedTargets: RelatedTarget[] } {
  const sorted = sameTargets ? sameTargets.sortedTargets : sortTargets(targets);
  const key = sameTargets ? sameTargets.targetsKey : targetsKey(sorted);
  const input = options.relatedMemo;
  let lookupsSame = last !== undefined && last.ordered.length === ordered.length;
  for (let i = 0; i < ordered.length; i++) {
    const entry = ordered[i] as Entry;
    const selfId = (identities[i] as StoredIdentity).id;
    const before = last?.ordered[i];
    if (entry.relSelfId !== selfId || !entry.relKeys) {
      entry.relKeys = entry.relatedTitles.map((title) => relatedQueryKey(selfId, title));
      entry.relSelfId = selfId;
      entry.relRanks = undefined;
      // Its lookups changed (or it is new): the same as last time only as another article's.
      if (before === entry) lookupsSame = false;
    }
    if (lookupsSame && before !== entry && !sameStrings(before?.relKeys, entry.relKeys)) lookupsSame = false;
  }
  const lastMemo = last?.relatedMemo;
  if (
    lookupsSame &&
    input !== undefined &&
    lastMemo !== undefined &&
    lastMemo.targets === key &&
    (input === lastMemo || sameRelatedMemo(input, lastMemo))
  ) {
    for (let i = 0; i < ordered.length; i++) {
      const entry = ordered[i] as Entry;
      let ranks: number[];
      if (entry !== last?.ordered[i]) {
        // Another article object asking the same lookups: the positions the memo holds.
        ranks = (entry.relKeys as string[]).map((k) => lastMemo.links[k] as number);
      } else {
        if (entry.relFromRanks && entry.relTargets === key) continue;
        ranks = entry.relRanks as number[];
      }
      keepLinks(
        entry,
        entry.relatedTitles.map((title, j) => linkTo(cleanLine(title), sorted[ranks[j] as number])),
        ranks,
        true,
        key,
      );
    }
    return { memo: lastMemo, sortedTargets: sorted };
  }

  const known = input?.targets === key ? input.links : {};
  const next: RelatedMemo = { targets: key, links: {} };
  let rank: Map<string, number> | undefined;
  let index: RelatedIndex | undefined;
  for (let i = 0; i < ordered.length; i++) {
    const entry = ordered[i] as Entry;
    const selfId = (identities[i] as StoredIdentity).id;
    const keys = entry.relKeys as string[];
    const ranks: number[] = [];
    let fromRanks = true;
    const links = entry.relatedTitles.map((title, j): RelatedLink => {
      const memoKey = keys[j] as string;
      const remembered = rememberedRank(known, memoKey, sorted.length);
      if (remembered !== undefined) {
        next.links[memoKey] = remembered;
        ranks.push(remembered);
        return linkTo(cleanLine(title), sorted[remembered]);
      }
      index ??= createRelatedIndex(targets);
      const link = index.resolve(title, selfId);
      rank ??= new Map(sorted.map((target, r) => [target.id, r]));
      const found = link.itemId === null ? -1 : (rank.get(link.itemId) ?? -1);
      next.links[memoKey] = found;
      ranks.push(found);
      fromRanks = false;
      return link;
    });
    keepLinks(entry, links, ranks, fromRanks, key);
  }
  return { memo: next, sortedTargets: sorted };
}

/** Keeps the last links array when equal, so the item built from it can stay the same object. */
function keepLinks(
  entry: Entry,
  links: RelatedLink[],
  ranks: number[],
  fromRanks: boolean,
  key: string,
): void {
  const old = entry.relLinks;
  const same =
    old !== undefined &&
    old.length === links.length &&
    old.every((link, j) => {
      const other = links[j] as RelatedLink;
      return link.title === other.title && link.url === other.url && link.itemId === other.itemId;
    });
  if (!same) entry.relLinks = links;
  entry.relRanks = ranks;
  entry.relFromRanks = fromRanks;
  entry.relTargets = key;
}

function sameStrings(a: string[] | undefined, b: string[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((s, i) => s === b[i]);
}

/** Equal contents (a memo reloaded from the cache file is a new object with the same links). */
function sameRelatedMemo(a: RelatedMemo, b: RelatedMemo): boolean {
  if (a.targets !== b.targets || typeof a.links !== 'object' || a.links === null) return false;
  return sameFields(a.links, b.links);
}
