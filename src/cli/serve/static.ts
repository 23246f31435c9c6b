import { createReadStream, type Stats } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { renderSitePage } from '../../render/index.ts';
import { contentTypeFor, isHtml } from './content-types.ts';
import { injectLiveReload } from './live-reload.ts';
import { type SiteShell, titleOnlyShell } from './preview.ts';

export interface StaticOptions {
  /** Add the live-reload script to HTML responses (serve mode); `?raw` in the URL turns it off. */
  liveReload: boolean;
  /**
   * In served HTML (not with `?raw`), absolute links to the public site (`from`, the configured
   * baseUrl) become root-relative (`to: '/'`), so browsing the preview stays in the preview
   * whatever port it runs on. out/ itself keeps the real URLs.
   */
  rewriteBaseUrl?: { from: string; to: string };
  /** The site's settings and templates, for the error page; a default-themed "Broadsheet" when absent. */
  shell?: () => SiteShell;
}

function shell(options: StaticOptions): SiteShell {
  return options.shell?.() ?? titleOnlyShell('Broadsheet');
}

/**
 * Serves files under `root` (GET and HEAD) the way a static host would, so what you preview is
 * what readers get: feed media types, index.html for folders, and validators (ETag,
 * Last-Modified) with 304 answers, which is how feed readers poll cheaply.
 */
export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  options: StaticOptions,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('405 method not allowed\n');
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const found = await resolveFile(root, url.pathname);
  if (found.kind === 'redirect') {
    res.writeHead(301, { Location: `${found.location}${url.search}` });
    res.end();
    return;
  }
  if (found.kind !== 'file') {
    if (found.kind === 'missing' && (await sendNotFoundPage(root, req, res))) return;
    sendError(res, found.kind === 'forbidden' ? 403 : 404, req.method === 'HEAD', shell(options));
    return;
  }
  const contentType = negotiateFeedType(contentTypeFor(found.path), req.headers.accept);
  const inject = options.liveReload && isHtml(contentType) && !url.searchParams.has('raw');
  const rewrite =
    inject && options.rewriteBaseUrl && options.rewriteBaseUrl.from !== options.rewriteBaseUrl.to
      ? options.rewriteBaseUrl
      : undefined;
  sendFile(req, res, found.path, found.stats, contentType, inject, rewrite, () => shell(options));
}

/**
 * Chromium shows application/rss+xml and application/atom+xml as plain text and never applies
 * their xml-stylesheet, so a person clicking a feed link sees markup instead of the styled page.
 * A browser navigation asks for text/html first; it gets the same bytes as application/xml, which
 * every browser renders through the XSLT. Feed readers (which ask for feed types or * / *) get
 * the registered feed type. `Vary: Accept` (set by the caller) keeps caches honest.
 */
export function negotiateFeedType(contentType: string, accept: string | undefined): string {
  const isXmlFeed =
    contentType.startsWith('application/rss+xml') || contentType.startsWith('application/atom+xml');
  if (!isXmlFeed || !accept || !/(^|,)\s*text\/html/.test(accept)) return contentType;
  return 'application/xml; charset=utf-8';
}

type Resolved =
  | { kind: 'file'; path: string; stats: Stats }
  | { kind: 'redirect'; location: string }
  | { kind: 'missing' }
  | { kind: 'forbidden' };

/** Maps a URL path to a file under root; anything that would leave root (.., encoded or not, symlinks) is refused. */
export async function resolveFile(root: string, pathname: string): Promise<Resolved> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'forbidden' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'forbidden' };
  const parts = decoded.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) return { kind: 'forbidden' };
  // Hidden files are never part of a site (a static host's default too); .well-known is.
  if (parts.some((part) => part.startsWith('.') && part !== '.well-known')) return { kind: 'missing' };
  const realRoot = await realpath(root).catch(() => null);
  if (!realRoot) return { kind: 'missing' };
  let path = join(realRoot, ...parts);
  let stats = await stat(path).catch(() => null);
  if (stats?.isDirectory()) {
    // A folder's relative links only work from a URL ending in "/".
    if (!pathname.endsWith('/')) return { kind: 'redirect', location: `${pathname}/` };
    path = join(path, 'index.html');
    stats = await stat(path).catch(() => null);
  }
  if (!stats?.isFile()) return { kind: 'missing' };
  const real = await realpath(path);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) return { kind: 'forbidden' };
  return { kind: 'file', path: real, stats };
}

function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  stats: Stats,
  contentType: string,
  inject: boolean,
  rewrite: { from: string; to: string } | undefined,
  errorShell: () => SiteShell,
): void {
  // Size and mtime change whenever the bytes do (the build leaves unchanged files untouched);
  // the suffixes keep the variants of one file apart (live-reload injected; feed as application/xml).
  const variant = inject ? '-lr' : contentType.startsWith('application/xml') && isFeedName(path) ? '-x' : '';
  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}${variant}"`;
  const lastModified = stats.mtime.toUTCString();
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    ETag: etag,
    'Last-Modified': lastModified,
    // Revalidate every time: a preview must show the latest build, and 304s keep that cheap.
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  };
  if (isFeedName(path)) headers.Vary = 'Accept';
  if (isNotModified(req, etag, stats.mtime)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  if (inject) {
    readFile(path, 'utf8').then(
      (html) => {
        const local = rewrite ? html.replaceAll(rewrite.from, rewrite.to) : html;
        const body = Buffer.from(injectLiveReload(local), 'utf8');
        res.writeHead(200, { ...headers, 'Content-Length': String(body.length) });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => sendError(res, 404, req.method === 'HEAD', errorShell()),
    );
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': String(stats.size) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(path)
    .on('error', () => res.destroy())
    .pipe(res);
}

function isFeedName(path: string): boolean {
  return /(^|[/\\])(rss|atom)\.xml$/.test(path);
}

/** RFC 9110 §13.1: If-None-Match wins; If-Modified-Since is only looked at without it. */
function isNotModified(req: IncomingMessage, etag: string, mtime: Date): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return true;
    // Weak comparison: W/"x" matches "x" and W/"x".
    const bare = (tag: string): string => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => bare(tag) === bare(etag));
  }
  const since = req.headers['if-modified-since'];
  if (since === undefined) return false;
  const sinceMs = Date.parse(since);
  // HTTP dates have whole seconds; compare at that precision.
  return !Number.isNaN(sinceMs) && Math.floor(mtime.getTime() / 1000) * 1000 <= sinceMs;
}

/** The site's own 404.html when the build wrote one, as static hosts serve it. */
async function sendNotFoundPage(root: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const page = await readFile(join(root, '404.html')).catch(() => null);
  if (!page) return false;
  res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(page.length) });
  res.end(req.method === 'HEAD' ? undefined : page);
  return true;
}

/**
 * A 403 or 404 of serve's own (no 404.html in the build, or a private path), in the site's layout
 * (templates/site/error.liquid); the words are serve's, in English.
 */
export function sendError(res: ServerResponse, status: 403 | 404, head: boolean, shell: SiteShell): void {
  const reason = status === 404 ? 'Not found' : 'Forbidden';
  const body = renderSitePage(
    shell.theme,
    'error',
    { status, reason },
    {
      site: shell.site,
      title: `${status} ${reason} · ${shell.site.title}`,
      root: '/',
      canonical: '/',
      description: `${status} ${reason}`,
      feeds: [],
    },
  );
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(head ? undefined : body);
}
