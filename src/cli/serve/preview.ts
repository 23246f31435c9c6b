import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { escapeHtml } from '../../render/html.ts';

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

/**
 * The preview page: the newsletter edition as phones and desktop clients lay it out, side by
 * side, next to links to every feed. `?edition=<id>` picks an older one.
 */
export async function renderPreviewPage(
  outDir: string,
  siteTitle: string,
  requested: string | null,
): Promise<string> {
  const editions = await listEditions(outDir);
  const edition = editions.find((e) => e.id === requested) ?? editions[0] ?? null;
  const feeds = await listFeeds(outDir);
  const frames = edition
    ? WIDTHS.map(
        (width) =>
          `<figure><figcaption>${width} px</figcaption><iframe title="Newsletter at ${width} px" ` +
          `src="${escapeHtml(edition.href)}?raw" width="${width}" height="900"></iframe></figure>`,
      ).join('\n')
    : '<p class="empty">No newsletter edition in the output yet: run a build with new stories.</p>';
  const subject = edition ? await subjectOf(join(outDir, edition.href.slice(1))) : null;
  const subjectLine = subject
    ? `<p class="subject">Subject: <strong>${escapeHtml(subject)}</strong></p>`
    : '';
  const editionLinks = editions
    .map((e) =>
      e === edition
        ? `<li><strong>${escapeHtml(e.id)}</strong> · <a href="${escapeHtml(e.href)}?raw">HTML</a> · ` +
          `<a href="${escapeHtml(e.href.replace(/\.html$/, '.txt'))}">text</a></li>`
        : `<li><a href="?edition=${encodeURIComponent(e.id)}">${escapeHtml(e.id)}</a></li>`,
    )
    .join('\n');
  const feedLinks = feeds.length
    ? groupByFolder(feeds)
        .map(
          ([folder, hrefs]) =>
            `<li>${escapeHtml(folder || 'all stories')}: ${hrefs
              .map((href) => `<a href="${escapeHtml(href)}">${escapeHtml(feedLabel(href))}</a>`)
              .join(' · ')}</li>`,
        )
        .join('\n')
    : '<li class="empty">No feeds yet.</li>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Preview · ${escapeHtml(siteTitle)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #f3f2ef; }
  header { padding: 12px 20px; background: #1a1a1a; color: #fff; }
  header a { color: #fff; }
  main { display: flex; gap: 24px; padding: 20px; align-items: flex-start; overflow-x: auto; }
  figure { margin: 0; }
  figcaption { font-size: 13px; color: #555; margin-bottom: 4px; }
  iframe { border: 1px solid #ccc; background: #fff; display: block; }
  aside { flex: 0 0 240px; font-size: 14px; }
  aside h2 { font-size: 15px; margin: 0 0 6px; }
  aside ul { padding-left: 18px; margin: 0 0 18px; }
  .empty { color: #666; }
  .subject { margin: 0 0 6px; }
</style>
</head>
<body>
<header><strong>${escapeHtml(siteTitle)}</strong> · preview · <a href="/">site</a></header>
<main>
<aside>
<h2>Edition</h2>
${subjectLine}
<ul>${editionLinks || '<li class="empty">none</li>'}</ul>
<h2>Feeds</h2>
<ul>${feedLinks}</ul>
</aside>
${frames}

</main>
</body>
</html>
`;
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
