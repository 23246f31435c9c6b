import type { IncomingMessage, ServerResponse } from 'node:http';

export const EVENTS_PATH = '/__broadsheet/events';

/**
 * The snippet added to HTML pages in serve mode only (never written to out/). Server-Sent
 * Events need no library and reconnect by themselves when the server restarts; a "reload"
 * event after each successful rebuild reloads the page.
 */
export const LIVE_RELOAD_SCRIPT = `<script>/* broadsheet serve: live reload */(() => {
  const events = new EventSource('${EVENTS_PATH}');
  events.addEventListener('reload', () => location.reload());
})();</script>`;

/** Puts the live-reload script just before </body>, or at the end when the page has none. */
export function injectLiveReload(html: string): string {
  const at = html.toLowerCase().lastIndexOf('</body>');
  return at === -1 ? html + LIVE_RELOAD_SCRIPT : html.slice(0, at) + LIVE_RELOAD_SCRIPT + html.slice(at);
}

/** The open event streams; each rebuild tells every page to reload. */
export class LiveReload {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    // A comment line every 20 s keeps proxies and idle timeouts from closing the stream.
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), 20_000);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    // retry: how soon the browser reconnects after the server restarts.
    res.write('retry: 500\n\n');
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  reload(): void {
    this.write('event: reload\ndata: {}\n\n');
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private write(chunk: string): void {
    for (const client of this.clients) client.write(chunk);
  }
}
