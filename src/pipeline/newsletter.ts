import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/schema.ts';
import type { DiagnosticCode } from '../diagnostic-codes.ts';
import {
  archiveFeed,
  archivePage,
  composeEdition,
  type EditionWindow,
  editionShell,
  editionWindow,
  FIRST_EDITION_DAYS,
  type Period,
  REQUIRED_TEMPLATES,
  renderEditionEmail,
  renderEditionWebView,
  selectItems,
  TemplateError,
  type Templates,
  uniqueEditionId,
} from '../newsletter/index.ts';
import type { StateDb } from '../state/db.ts';
import {
  type EditionPart,
  editionIds,
  editionStamps,
  getEditionPart,
  getStoredEdition,
  latestEditionUntil,
  listEditions,
  recordedItemIds,
  type StoredEdition,
  saveEdition,
} from '../state/editions.ts';
import type { Diagnostic, Edition, Item, Output } from '../types.ts';
import { codeVersion } from './code-version.ts';
import type { PipelineHost } from './host.ts';
import { displayPath } from './inputs.ts';

export interface NewsletterOptions {
  /** ISO date or date-time: stories published after it. */
  since?: string;
  period?: 'daily' | 'weekly' | 'since-last';
  /**
   * False for `build --watch`: recorded editions are still written to out/, but no new one is
   * made. An edition is what `send` mails; a rebuild on every save would record one per save.
   */
  recordEdition?: boolean;
}

export interface NewsletterResult {
  edition: Edition | null;
  files: Output[];
  diagnostics: Diagnostic[];
  /** What happened, for the user: "edition 2026-11-24: 12 stories" or "no new stories since …". */
  message: string;
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
): Promise<NewsletterResult> {
  const { config } = host.loaded;
  const diagnostics: Diagnostic[] = [];
  const outcome =
    options.recordEdition === false
      ? {
          edition: null,
          message: 'newsletter: no new edition while watching (a plain `broadsheet build` records editions)',
        }
      : await buildCurrentEdition(host, db, items, options, diagnostics, memo);
  return { ...outcome, files: newsletterFiles(db, config), diagnostics };
}

async function buildCurrentEdition(
  host: PipelineHost,
  db: StateDb,
  items: Item[],
  options: NewsletterOptions,
  diagnostics: Diagnostic[],
  memo: EditionMemo | undefined,
): Promise<{ edition: Edition | null; message: string }> {
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
  const selected = selectItems(items, window, recordedItemIds(db));
  if (selected.length === 0) {
    const first =
      window.period === 'since-last' && previousUntil === null
        ? ` (first edition: it covers the last ${FIRST_EDITION_DAYS} days)`
        : '';
    return { edition: null, message: `newsletter: no new stories ${span}${first}; no edition built` };
  }
  const { templates, diagnostics: readProblems } = readEmailTemplates(host.path(config.paths.templates));
  diagnostics.push(...readProblems);
  const id = uniqueEditionId(window.baseId, editionIds(db));
  const edition = composeEdition({ id, items: selected, window, config });
  let stored: StoredEdition;
  try {
    const { email, webHtml } = await compileEdition(edition, config, templates, memo);
    stored = {
      edition: editionShell(edition),
      period: window.period,
      ...email,
      webHtml,
      createdAt: host.now.toISO() ?? '',
    };
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
    return { edition: null, message: 'newsletter: no edition built: fix the template errors above' };
  }
  saveEdition(db, stored, selected.length);
  const kb = (Buffer.byteLength(stored.html, 'utf8') / 1000).toFixed(1);
  return {
    edition,
    message: `newsletter: edition ${id}: ${selected.length} ${selected.length === 1 ? 'story' : 'stories'} ${span}; email HTML ${kb} KB → newsletter/${id}/`,
  };
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
function newsletterFiles(db: StateDb, config: Config): Output[] {
  const files: Output[] = [];
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
  files.push(
    { path: 'newsletter/index.html', contents: archivePage(entries, config) },
    { path: 'newsletter/feed.xml', contents: archiveFeed(entries, config) },
  );
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
  const fmt = 'yyyy-MM-dd HH:mm ZZZZ';
  return `from ${window.since.toFormat(fmt)} to ${window.until.toFormat(fmt)}`;
}

function problem(code: DiagnosticCode, message: string): Diagnostic {
  return { severity: 'error', code, message };
}
