import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { posix } from 'node:path';
import { EVENTS_PATH, injectLiveReload, LiveReload } from './live-reload.ts';
import { PREVIEW_PATH, renderPreviewPage, type SiteShell, titleOnlyShell } from './preview.ts';
import { sendError as sendErrorPage, serveStatic } from './static.ts';
import { rebuildQueue, type Watcher, watchPaths } from './watcher.ts';

/** A route another stage mounts (e.g. delivery's one-click unsubscribe); true when it answered. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface RebuildResult {
  reload: boolean;
  problems?: string[];
}

export interface PreviewServerOptions {
  /** The folder served (config paths.out). */
  root: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  siteTitle: () => string;
  /** The site's settings and templates, for serve's own pages; a default-themed shell of `siteTitle` when absent. */
  shell?: () => SiteShell;
  /** The configured public URL; links to it in served HTML point at this server instead. */
  siteBaseUrl?: () => string;
  /**
   * Rebuilds the output. `reload`: the build wrote something usable, so open pages reload.
   * `problems`: the build's errors and warnings, shown on every open page (a bare boolean is `reload`).
   */
  rebuild: (changed: string[]) => Promise<boolean | RebuildResult>;
  /** Run `rebuild([])` once as soon as the server listens (so a taken port fails before any work). */
  buildOnStart?: boolean;
  /** Folders and files whose changes trigger a rebuild; empty for --no-watch. */
  watch: string[];
  routes?: Record<string, RouteHandler>;
  /**
   * URL path prefixes (e.g. `/outbox/`) never served, whatever is on disk: the outbox holds
   * subscribers' addresses and working unsubscribe links.
   */
  privatePaths?: string[];
  /** Changed paths that must not trigger a rebuild (the output and state folders, if they sit inside a watched one). */
  ignore?: (path: string) => boolean;
  debounceMs?: number;
  /** Runs after the server stopped (e.g. closes a database the routes used); `close` waits for it. */
  onClose?: () => void | Promise<void>;
  onError?: (error: unknown) => void;
}

export interface PreviewServer {
  url: string;
  server: Server;
  liveReload: LiveReload;
  /** Changes waiting for the running build to finish (they make one more build). */
  queuedChanges(): string[];
  /** Resolves when no rebuild is running or queued (tests and shutdown wait on it). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The local preview: static files from out/, live reload over Server-Sent Events, a preview
 * page for the newsletter, and rebuilds on change. Rebuilds never overlap: changes that arrive
 * during a build queue exactly one more.
 */
export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const liveReload = new LiveReload();
  const routes = options.routes ?? {};
  const onError =
    options.onError ?? ((error) => process.stderr.write(`serve: ${(error as Error).stack ?? error}\n`));

  const shell = (): SiteShell => options.shell?.() ?? titleOnlyShell(options.siteTitle());
  const sendError = (res: ServerResponse, status: 403 | 404, head: boolean) =>
    sendErrorPage(res, status, head, shell());

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      onError(error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('500 internal error\n');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === EVENTS_PATH) return liveReload.handle(req, res);
    if (url.pathname === PREVIEW_PATH || url.pathname === `${PREVIEW_PATH}/`) {
      const html = await renderPreviewPage(options.root, shell(), url.searchParams.get('edition'));
      const body = Buffer.from(injectLiveReload(html));
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': String(body.length),
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const route = routes[url.pathname];
    if (route) {
      if (await route(req, res)) return;
    }
    if (url.pathname.startsWith('/__broadsheet/')) return sendError(res, 404, req.method === 'HEAD');
    if (isPrivatePath(url.pathname, options.privatePaths ?? []))
      return sendError(res, 404, req.method === 'HEAD');
    const baseUrl = options.siteBaseUrl?.();
    await serveStatic(options.root, req, res, {
      liveReload: true,
      shell,
      ...(baseUrl ? { rewriteBaseUrl: { from: baseUrl, to: '/' } } : {}),
    });
  }

  const rebuilds = rebuildQueue(async (changed) => {
    try {
      const result = await options.rebuild(changed);
      const { reload, problems } =
        typeof result === 'boolean' ? { reload: result, problems: undefined } : result;
      if (problems) liveReload.setProblems(problems);
      if (reload) liveReload.reload();
    } catch (error) {
      onError(error);
      liveReload.setProblems([`build failed: ${(error as Error).message ?? error}`]);
    }
  });
  const schedule = rebuilds.schedule;

  const watcher: Watcher | null = options.watch.length
    ? watchPaths(options.watch, schedule, { debounceMs: options.debounceMs, ignore: options.ignore })
    : null;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (options.buildOnStart) schedule([]);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/`,
    server,
    liveReload,
    queuedChanges: rebuilds.queued,
    idle: rebuilds.idle,
    close: async () => {
      watcher?.close();
      await rebuilds.idle();
      liveReload.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await options.onClose?.();
    },
  };
}

/** True when the request, percent-decoded and with dot segments resolved, falls under a private prefix. */
export function isPrivatePath(pathname: string, prefixes: string[]): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return prefixes.length > 0; // undecodable: refuse rather than guess
  }
  const clean = posix.normalize(decoded.replace(/\\/g, '/').replace(/\/{2,}/g, '/'));
  return prefixes.some((prefix) => clean === prefix.replace(/\/$/, '') || clean.startsWith(prefix));
}
