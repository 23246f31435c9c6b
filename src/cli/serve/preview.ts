import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { configSchema } from '../../config/schema.ts';
import {
  defaultSiteTheme,
  renderSitePage,
  type SiteInfo,
  type SiteTheme,
  siteInfoFromConfig,
} from '../../render/index.ts';

export const PREVIEW_PATH = '/__preview';

/** Widths the newsletter is checked at: a phone (375 px) and the classic email column (600 px). */
const WIDTHS = [375, 600];

const FEED_FILE = /(^|\/)(rss\.xml|atom\.xml|feed\.json|[^/]+\.opml)$/;

interface Edition {
  id: string;
  /** URL path of the edition's email.html. */
  href: string;
}

/** Newsletter editions under out/newsletter/<id>/email.html, newest first. */
export async function listEditions(outDir: string): Promise<Edition[]> {
  const folder = join(outDir, 'newsletter');
  const names = await readdir(folder).catch(() => [] as string[]);
  const editions: Edition[] = [];
  for (const id of names) {
    const stats = await stat(join(folder, id, 'email.html')).catch(() => null);
    if (stats?.isFile()) editions.push({ id, href: `/newsletter/${encodeURIComponent(id)}/email.html` });
  }
  // Edition ids sort by date ("2026-11-24", "2026-W48"); newest id first.
  return editions.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** Every feed (RSS, Atom, JSON Feed, OPML) in out/, as URL paths, top-level feeds first. */
export async function listFeeds(outDir: string): Promise<string[]> {
  const entries = await readdir(outDir, { recursive: true }).catch(() => [] as string[]);
  return entries
    .map((entry) => relative(outDir, join(outDir, entry)).split(sep).join('/'))
    .filter((path) => FEED_FILE.test(path) && !path.startsWith('newsletter/'))
    .sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0))
    .map((path) => `/${path}`);
}

/** What serve's own pages need to look like the site: its settings and compiled templates. */
export interface SiteShell {
  site: SiteInfo;
  theme: SiteTheme;
}

/** The shell of a site known only by its title (a preview server started without a config). */
export function titleOnlyShell(title: string): SiteShell {
  const site = siteInfoFromConfig(configSchema.parse({ site: { title } }), '');
  return { site, theme: defaultSiteTheme() };
}

/*
 * The frames show the email from this server (frame-src), side by side past the site's column.
 * The page's words are serve's own, in English: it is the publisher's tool, not a reader's page.
 */
const PREVIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; frame-src 'self'";
const PREVIEW_STYLE = `main:has(>.preview){max-width:none}
.preview{display:flex;gap:24px;align-items:flex-start;overflow-x:auto}
.preview aside{flex:0 0 240px;font-family:system-ui,sans-serif;font-size:.9rem}
.preview .frames{display:flex;gap:24px}
.preview figure{margin:0}
.preview figcaption{font-size:.8rem;color:var(--muted)}
.preview iframe{border:1px solid var(--rule);background:#fff;display:block}`;

/**
 * The preview page, in the site's layout (templates/site/preview.liquid): the newsletter edition
 * as phones and desktop clients lay it out, side by side, next to links to every feed.
 * `?edition=<id>` picks an older one.
 */
export async function renderPreviewPage(
  outDir: string,
  shell: SiteShell,
  requested: string | null,
): Promise<string> {
  const editions = await listEditions(outDir);
  const edition = editions.find((e) => e.id === requested) ?? editions[0] ?? null;
  const feeds = await listFeeds(outDir);
  const view = {
    subject: (edition ? await subjectOf(join(outDir, edition.href.slice(1))) : null) ?? '',
    editions: editions.map((e) => ({
      id: e.id,
      href: e.href,
      text_href: e.href.replace(/\.html$/, '.txt'),
      current: e === edition,
    })),
    feeds: groupByFolder(feeds).map(([folder, hrefs]) => ({
      folder: folder || 'all stories',
      links: hrefs.map((href) => ({ href, label: feedLabel(href) })),
    })),
    frames: edition ? WIDTHS.map((width) => ({ width, src: `${edition.href}?raw` })) : [],
  };
  return renderSitePage(shell.theme, 'preview', view, {
    site: shell.site,
    title: `Preview · ${shell.site.title}`,
    root: '/',
    canonical: PREVIEW_PATH,
    description: 'The newsletter as phones and desktop clients show it, and every feed.',
    feeds: [],
    csp: PREVIEW_CSP,
    style: PREVIEW_STYLE,
  });
}

/** The subject line as mail clients show it: the email's <title>. */
async function subjectOf(emailHtml: string): Promise<string | null> {
  const html = await readFile(emailHtml, 'utf8').catch(() => '');
  const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim();
  return title ? decodeEntities(title) : null;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (all, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity[0] !== '#') return named[entity.toLowerCase()] ?? all;
    const code =
      entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return Number.isFinite(code) ? String.fromCodePoint(code) : all;
  });
}

/** `/topics/arts/rss.xml` → folder `topics/arts`; the top-level feeds have folder "". */
function groupByFolder(hrefs: string[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const href of hrefs) {
    const folder = href.slice(1, href.lastIndexOf('/'));
    groups.set(folder, [...(groups.get(folder) ?? []), href]);
  }
  // Within a folder: RSS, Atom, JSON Feed, then anything else (OPML).
  const rank = (href: string): number => {
    const at = ['rss.xml', 'atom.xml', 'feed.json'].indexOf(href.slice(href.lastIndexOf('/') + 1));
    return at === -1 ? 3 : at;
  };
  return [...groups].map(([folder, list]) => [folder, list.sort((a, b) => rank(a) - rank(b))]);
}

function feedLabel(href: string): string {
  const name = href.slice(href.lastIndexOf('/') + 1);
  return (
    ({ 'rss.xml': 'RSS', 'atom.xml': 'Atom', 'feed.json': 'JSON' } as Record<string, string>)[name] ?? name
  );
}
