import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import type { Config } from '../config/index.ts';
import type { DiagnosticCode } from '../diagnostic-codes.ts';
import {
  archiveFeed,
  archivePage,
  composeEdition,
  type EditionWindow,
  editionShell,
  editionWindow,
  FIRST_EDITION_DAYS,
  isoMillis,
  type Period,
  REQUIRED_TEMPLATES,
  renderEditionEmail,
  renderEditionWebView,
  selectItems,
  TemplateError,
  type Templates,
  uniqueEditionId,
} from '../newsletter/index.ts';
import type { SiteTheme } from '../render/index.ts';
import type { StateDb } from '../state/index.ts';
import {
  deliveredCount,
  type EditionPart,
  editionIds,
  editionStamps,
  getEditionPart,
  getStoredEdition,
  latestEditionUntil,
  listEditions,
  recordedItemIds,
  replaceEdition,
  type StoredEdition,
  saveEdition,
  storiesChangedSince,
} from '../state/index.ts';
import type { Diagnostic, Edition, Item, OutputFile, PlannedOutput } from '../types.ts';
import { codeVersion } from './code-version.ts';
import type { PipelineHost } from './host.ts';
import { displayPath } from './inputs.ts';
import { loadSiteTheme } from './theme.ts';

export interface NewsletterOptions {
  /** ISO date or date-time: stories published after it. */
  since?: string;
  period?: 'daily' | 'weekly' | 'since-last';
  /**
   * False for `build --watch`: recorded editions are still written to out/, but no new one is
   * made. An edition is what `send` mails; a rebuild on every save would record one per save.
   */
  recordEdition?: boolean;
  /** `broadsheet editions rebuild <id>`: make this recorded (unsent) edition again instead of a new one. */
  rebuild?: string;
  /**
   * `serve` (on a throwaway snapshot of the state): when no new edition is due, show the latest
   * unsent edition as today's articles make it, so a fixed story shows fixed in the preview.
   */
  previewUnsent?: boolean;
  /** The site's compiled templates, for the archive page (loaded from the config when not given). */
  theme?: SiteTheme;
}

export interface NewsletterResult {
  edition: Edition | null;
  files: (OutputFile | PlannedOutput)[];
  diagnostics: Diagnostic[];
  /** What happened, for the user: "edition 2026-11-24: 12 stories" or "no new stories since …". */
  message: string;
  /**
   * A since-last build that made no edition does the same (no edition, the same words) at any
   * later instant until an unrecorded story's date is reached: this instant (ms since the epoch),
   * or null when no such story lies ahead. Absent when the outcome holds for this instant only.
   * It lets the next cron build replay (pipeline/unchanged.ts) instead of building again.
   */
  steadyUntil?: number | null;
}

/** The templates shipped with Broadsheet, used for any template the publisher's folder lacks. */
export const BUNDLED_EMAIL_TEMPLATES = fileURLToPath(new URL('../../templates/email/', import.meta.url));

const PERIODS: readonly Period[] = ['since-last', 'daily', 'weekly'];

/**
 * Selects and renders the current newsletter edition, records it, and emits every recorded
 * edition (email.html, email.txt, index.html) plus the archive page and feed. Past editions come
 * from the state store byte for byte; only a new edition is compiled.
 */
export async function buildNewsletter(
  host: PipelineHost,
  db: StateDb,
  items: Item[],
  options: NewsletterOptions,
  memo?: EditionMemo,
  unreadablyDated: readonly Diagnostic[] = [],
): Promise<NewsletterResult> {
  const { config } = host.loaded;
  const theme = options.theme ?? loadSiteTheme(host);
  const diagnostics: Diagnostic[] = [];
  const outcome =
    options.recordEdition === false
      ? {
          edition: null,
          message: 'newsletter: no new edition while watching (a plain `broadsheet build` records editions)',
        }
      : options.rebuild !== undefined
        ? await rebuildRecordedEdition(host, db, items, options.rebuild, unreadablyDated, diagnostics, memo)
        : await buildCurrentEdition(host, db, items, options, unreadablyDated, diagnostics, memo);
  if (options.recordEdition !== false && options.rebuild === undefined && outcome.edition === null)
    diagnostics.push(...staleEditionWarning(db));
  if (options.previewUnsent && outcome.edition === null) {
    const latest = getStoredEdition(db, 'latest');
    const { sent, inDoubt } = latest ? deliveredCount(db, latest.edition.id) : { sent: 1, inDoubt: 0 };
    if (latest && sent === 0 && inDoubt === 0) {
      const id = latest.edition.id;
      const current = await rebuildRecordedEdition(host, db, items, id, unreadablyDated, [], memo);
      if (current.edition && getEditionPart(db, id, 'html') !== latest.html)
        return {
          edition: current.edition,
          message: `${outcome.message}\nnewsletter: the preview shows unsent edition ${id} as today's articles make it; it differs from the recorded one: \`broadsheet editions rebuild ${id}\` records it`,
          files: newsletterFiles(db, config, theme),
          diagnostics,
        };
    }
  }
  return { ...outcome, files: newsletterFiles(db, config, theme), diagnostics };
}

/** What one edition step decided, and for how long a since-last decision holds. */
interface EditionOutcome {
  edition: Edition | null;
  message: string;
  steadyUntil?: number | null;
}

async function buildCurrentEdition(
  host: PipelineHost,
  db: StateDb,
  items: Item[],
  options: NewsletterOptions,
  unreadable: readonly Diagnostic[],
  diagnostics: Diagnostic[],
  memo: EditionMemo | undefined,
): Promise<EditionOutcome> {
  const { config } = host.loaded;
  const period = (options.period ?? config.newsletter.period) as Period;
  if (!PERIODS.includes(period)) {
    diagnostics.push(
      problem('newsletter/period', `--period must be one of ${PERIODS.join(', ')}; got "${period}"`),
    );
    return { edition: null, message: 'newsletter: no edition built (bad --period)' };
  }
  const previousUntil = latestEditionUntil(db);
  const windowed = editionWindow({
    period,
    ...(options.since !== undefined ? { since: options.since } : {}),
    now: host.now,
    timeZone: config.site.timeZone,
    previousUntil,
  });
  if (!windowed.ok) {
    diagnostics.push(problem('newsletter/since', windowed.message));
    return { edition: null, message: 'newsletter: no edition built (bad --since)' };
  }
  const { window } = windowed;
  const span = describeWindow(window);
  const already = recordedForWindow(db, window);
  if (already)
    return {
      edition: already,
      message: `newsletter: edition ${already.id} (${span}) already built; kept as recorded`,
    };
  const recorded = recordedItemIds(db);
  const { dated, undated } = splitUnreadablyDated(items, unreadable);
  const selected = selectItems(dated, window, recorded);
  const leftOut = selectItems(undated, window, recorded);
  for (const item of leftOut) diagnostics.push(leftOutOfEdition(item));
  if (selected.length === 0) {
    return {
      edition: null,
      message: `newsletter: no edition built: no new stories ${searchedSpan(window, previousUntil)}; ${whatToDo(dated, window, recorded, host.loaded.config.site.timeZone)}`,
      ...(window.period === 'since-last'
        ? { steadyUntil: nextStoryAfter(items, window.until.toMillis(), recorded) }
        : {}),
    };
  }
  const id = uniqueEditionId(window.baseId, editionIds(db));
  const built = await composeAndCompile(host, id, selected, window, diagnostics, memo);
  if (!built)
    return { edition: null, message: 'newsletter: no edition built: fix the template errors above' };
  saveEdition(db, built.stored, selected.length);
  return {
    edition: built.edition,
    message: builtMessage(`edition ${id}`, built.stored, selected.length, span),
  };
}

/**
 * An edition recorded earlier, made again from today's articles with its own id and window:
 * a story fixed after `build` reaches readers fixed. Only an unsent edition is rebuilt (the
 * command checks the ledger); its own stories stay its own, others' stay theirs.
 */
async function rebuildRecordedEdition(
  host: PipelineHost,
  db: StateDb,
  items: Item[],
  id: string,
  unreadable: readonly Diagnostic[],
  diagnostics: Diagnostic[],
  memo: EditionMemo | undefined,
): Promise<{ edition: Edition | null; message: string }> {
  const recorded = getStoredEdition(db, id);
  if (!recorded) {
    diagnostics.push(problem('newsletter/rebuild', `no edition "${id}" in the state store`));
    return { edition: null, message: `newsletter: edition ${id} not rebuilt` };
  }
  const window = recordedWindow(recorded, host.loaded.config.site.timeZone);
  const { dated, undated } = splitUnreadablyDated(items, unreadable);
  const others = recordedItemIds(db, id);
  for (const item of selectItems(undated, window, others)) diagnostics.push(leftOutOfEdition(item));
  const selected = selectItems(dated, window, others);
  const span = describeWindow(window);
  if (selected.length === 0) {
    diagnostics.push(
      problem(
        'newsletter/rebuild',
        `edition ${id} would have no stories ${span}; kept as recorded (\`broadsheet editions discard ${id}\` drops it)`,
      ),
    );
    return { edition: null, message: `newsletter: edition ${id} not rebuilt` };
  }
  const built = await composeAndCompile(host, id, selected, window, diagnostics, memo);
  if (!built)
    return { edition: null, message: `newsletter: edition ${id} not rebuilt: fix the template errors above` };
  replaceEdition(db, built.stored, selected.length);
  return {
    edition: built.edition,
    message: builtMessage(`edition ${id} rebuilt`, built.stored, selected.length, span),
  };
}

/** A recorded edition's window, read back; its period decides nothing more once recorded. */
function recordedWindow(recorded: StoredEdition, timeZone: string): EditionWindow {
  const read = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(timeZone);
  const { since, until, id } = recorded.edition;
  return {
    period: recorded.period as EditionWindow['period'],
    since: since ? read(since) : DateTime.fromMillis(0, { zone: timeZone }),
    until: read(until),
    baseId: id,
  };
}

function builtMessage(what: string, stored: StoredEdition, count: number, span: string): string {
  const kb = (Buffer.byteLength(stored.html, 'utf8') / 1000).toFixed(1);
  return `newsletter: ${what}: ${plural(count, 'story', 'stories')} ${span}; email HTML ${kb} KB → newsletter/${stored.edition.id}/`;
}

/**
 * The warnings that say a story's own published date could not be read (by the reader of its
 * format, or when normalizing): such a story is dated when it was first seen, which is "now".
 */
export function unreadablePublishedDates(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter(
    (d) =>
      (d.code === 'ingest/bad-date' && /^unrecognised (published|date) date/.test(d.message)) ||
      (d.code === 'normalize/invalid-date' && d.message.startsWith('published date')),
  );
}

/**
 * Stories whose own date could not be read are dated when they were first seen: left in, one
 * bad file would start an edition (`2026-12-04-2`) that `send` mails by default. An edition is
 * made on purpose, so they wait until their date is fixed.
 */
function splitUnreadablyDated(
  items: Item[],
  unreadable: readonly Diagnostic[],
): { dated: Item[]; undated: Item[] } {
  if (unreadable.length === 0) return { dated: items, undated: [] };
  const byFile = new Map<string, number[]>();
  for (const d of unreadable) byFile.set(d.file ?? '', [...(byFile.get(d.file ?? '') ?? []), d.line ?? 0]);
  const isUndated = (item: Item) =>
    item.sources.some((source) =>
      (byFile.get(source.file) ?? []).some((line) => line >= source.startLine && line <= source.endLine),
    );
  const dated: Item[] = [];
  const undated: Item[] = [];
  for (const item of items) (isUndated(item) ? undated : dated).push(item);
  return { dated, undated };
}

function leftOutOfEdition(item: Item): Diagnostic {
  const source = item.sources[0];
  return {
    severity: 'warning',
    code: 'newsletter/unreadable-date',
    message: `"${item.title}" is left out of the newsletter until its published date is fixed (its date could not be read)`,
    ...(source ? { file: source.file, line: source.startLine } : {}),
  };
}

/** Why a window was empty, and the command that would fill it: the newest story not yet sent. */
function whatToDo(
  items: Item[],
  window: EditionWindow,
  recorded: ReadonlySet<string>,
  timeZone: string,
): string {
  let newest: Item | null = null;
  for (const item of items) {
    if (recorded.has(item.id)) continue;
    if (!newest || isoMillis(item.published) > isoMillis(newest.published)) newest = item;
  }
  if (!newest)
    return items.length === 0
      ? 'there are no stories yet: add articles, then build again'
      : 'every story is in an edition already: add new articles, then build again';
  const at = DateTime.fromMillis(isoMillis(newest.published), { zone: timeZone });
  const day = at.toFormat('yyyy-MM-dd');
  if (at >= window.until)
    return `the newest story, "${newest.title}", is dated ${day}, after the window; it goes in a later edition`;
  return (
    `the newest story not in an edition, "${newest.title}", is dated ${day}; ` +
    `to include it: broadsheet build --since ${day} (or a wider --period, e.g. weekly)`
  );
}

async function composeAndCompile(
  host: PipelineHost,
  id: string,
  selected: Item[],
  window: EditionWindow,
  diagnostics: Diagnostic[],
  memo: EditionMemo | undefined,
): Promise<{ stored: StoredEdition; edition: Edition } | null> {
  const { config } = host.loaded;
  const { templates, diagnostics: readProblems } = readEmailTemplates(host.path(config.paths.templates));
  diagnostics.push(...readProblems);
  const edition = composeEdition({ id, items: selected, window, config });
  try {
    const { email, webHtml } = await compileEdition(edition, config, templates, memo);
    const stored = {
      edition: editionShell(edition),
      period: window.period,
      ...email,
      webHtml,
      createdAt: host.now.toISO() ?? '',
    };
    return { stored, edition };
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    for (const p of error.problems) {
      diagnostics.push({
        severity: 'error',
        code: 'newsletter/template',
        message: p.message,
        file: p.file,
        ...(p.line ? { line: p.line } : {}),
      });
    }
    return null;
  }
}

type CompiledEdition = { email: Awaited<ReturnType<typeof renderEditionEmail>>; webHtml: string };

/**
 * The edition `serve` compiled last: serve records nothing, so every rebuild composes the
 * current edition again, and MJML takes ~1 s for a 1,000-story one. The same edition with the
 * same config, templates and code compiles to the same bytes, so it is compiled once.
 */
export class EditionMemo {
  key = '';
  compiled: CompiledEdition | null = null;
}

async function compileEdition(
  edition: Edition,
  config: Config,
  templates: Templates,
  memo: EditionMemo | undefined,
): Promise<CompiledEdition> {
  const key = memo
    ? createHash('sha1')
        .update(JSON.stringify([codeVersion(), config, templates, editionShell(edition)]))
        .digest('base64url')
    : '';
  if (memo?.compiled && memo.key === key) return memo.compiled;
  const email = await renderEditionEmail(edition, config, templates);
  const webHtml = await renderEditionWebView(edition, config, templates);
  if (memo) {
    memo.key = key;
    memo.compiled = { email, webHtml };
  }
  return { email, webHtml };
}

/** A daily or weekly window already recorded (rebuilding later in the same period) is not built again. */
function recordedForWindow(db: StateDb, window: EditionWindow): Edition | null {
  if (window.period !== 'daily' && window.period !== 'weekly') return null;
  const since = window.since.toMillis();
  const until = window.until.toMillis();
  for (const summary of listEditions(db)) {
    if (summary.id !== window.baseId && !summary.id.startsWith(`${window.baseId}-`)) continue;
    if (summary.since && Date.parse(summary.since) === since && Date.parse(summary.until) === until) {
      return getStoredEdition(db, summary.id)?.edition ?? null;
    }
  }
  return null;
}

/**
 * Every recorded edition's files, then the archive page and feed. A recorded edition's parts
 * are planned, not read: the writer loads one only when its file is missing or its row changed.
 */
function newsletterFiles(db: StateDb, config: Config, theme: SiteTheme): (OutputFile | PlannedOutput)[] {
  const files: (OutputFile | PlannedOutput)[] = [];
  const entries = listEditions(db);
  const stamps = editionStamps(db);
  const parts: [string, EditionPart][] = [
    ['email.html', 'html'],
    ['email.txt', 'text'],
    ['index.html', 'web_html'],
  ];
  for (const summary of entries) {
    const dir = `newsletter/${summary.id}`;
    for (const [name, part] of parts) {
      files.push({
        path: `${dir}/${name}`,
        key: `edition:${summary.id}:${stamps.get(summary.id) ?? ''}:${part}`,
        render: () => getEditionPart(db, summary.id, part) ?? '',
      });
    }
  }
  files.push({ path: 'newsletter/index.html', contents: archivePage(entries, config, theme) });
  const feed = archiveFeed(entries, config);
  if (feed !== null) files.push({ path: 'newsletter/feed.xml', contents: feed });
  return files;
}

/**
 * Reads `<templates>/email/*.mjml`. A template the publisher has not written falls back to the
 * bundled one, so restyling one partial does not mean copying them all.
 */
export function readEmailTemplates(templatesRoot: string): {
  templates: Templates;
  diagnostics: Diagnostic[];
} {
  const templates: Templates = {};
  const diagnostics: Diagnostic[] = [];
  for (const dir of [BUNDLED_EMAIL_TEMPLATES, join(templatesRoot, 'email')]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)
      .filter((f) => f.endsWith('.mjml'))
      .sort()) {
      const path = join(dir, name);
      try {
        templates[basename(name, '.mjml')] = { file: displayPath(path), source: readFileSync(path, 'utf8') };
      } catch (error) {
        diagnostics.push({
          ...problem('newsletter/template', `cannot read template: ${(error as Error).message}`),
          file: displayPath(path),
        });
      }
    }
  }
  for (const name of REQUIRED_TEMPLATES) {
    if (!templates[name]) diagnostics.push(problem('newsletter/template', `template ${name}.mjml not found`));
  }
  return { templates, diagnostics };
}

function describeWindow(window: EditionWindow): string {
  return `from ${window.since.toFormat(WINDOW_FORMAT)} to ${window.until.toFormat(WINDOW_FORMAT)}`;
}

const WINDOW_FORMAT = 'yyyy-MM-dd HH:mm ZZZZ';

/**
 * Where a since-last build looked and found nothing, in words that stay the same from build to
 * build while nothing new arrives (its window ends now, which the reader knows): such a build is
 * replayable. The first edition reaches a fixed span back from now, said as that span.
 */
function searchedSpan(window: EditionWindow, previousUntil: string | null): string {
  if (window.period !== 'since-last') return describeWindow(window);
  if (previousUntil === null) return `in the last ${FIRST_EDITION_DAYS} days, which the first edition covers`;
  return `since ${window.since.toFormat(WINDOW_FORMAT)}`;
}

/**
 * The earliest date at or after `from` (ms) of a story no edition holds (null: none), the
 * instant a since-last window first reaches a new story. Stories whose date could not be read
 * count too: they are stamped when first seen, and reaching one changes the build's warnings.
 */
function nextStoryAfter(items: readonly Item[], from: number, recorded: ReadonlySet<string>): number | null {
  let next: number | null = null;
  for (const item of items) {
    if (recorded.has(item.id)) continue;
    const at = isoMillis(item.published);
    if (Number.isFinite(at) && at >= from && (next === null || at < next)) next = at;
  }
  return next;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A build that records no edition leaves the latest one as it is: when that one is unsent and
 * some of its stories changed since it was recorded, `send` would mail the old text. Said at
 * build time, where the edit was just made, not only when sending.
 */
function staleEditionWarning(db: StateDb): Diagnostic[] {
  const latest = getStoredEdition(db, 'latest');
  if (!latest) return [];
  const { id } = latest.edition;
  const { sent, inDoubt } = deliveredCount(db, id);
  if (sent > 0 || inDoubt > 0) return [];
  const changed = storiesChangedSince(db, latest.edition);
  if (changed.length === 0) return [];
  const named = changed
    .slice(0, 3)
    .map((item) => `"${item.title}"`)
    .join(', ');
  const more = changed.length > 3 ? ` and ${plural(changed.length - 3, 'more', 'more')}` : '';
  return [
    {
      severity: 'warning',
      code: 'newsletter/stale-edition',
      message: `unsent edition ${id} holds the old text of ${plural(changed.length, 'story', 'stories')} changed since it was recorded: ${named}${more}; \`broadsheet editions rebuild ${id}\` updates it`,
    },
  ];
}

function problem(code: DiagnosticCode, message: string): Diagnostic {
  return { severity: 'error', code, message };
}
