import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const EVENTS_PATH = '/__broadsheet/events';

/**
 * The snippet added to HTML pages in serve mode only (never written to out/). Server-Sent
 * Events need no library and reconnect by themselves when the server restarts; a "reload"
 * event after each successful rebuild reloads the page.
 */
export function liveReloadScript(nonce: string): string {
  return `<script nonce="${nonce}">/* broadsheet serve: live reload */(() => {
  const events = new EventSource('${EVENTS_PATH}');
  events.addEventListener('reload', () => location.reload());
  // The last build's errors and warnings, in a strip at the bottom of the page.
  events.addEventListener('problems', (event) => {
    const lines = JSON.parse(event.data);
    let strip = document.getElementById('broadsheet-problems');
    if (!lines.length) return strip && strip.remove();
    if (!strip) {
      strip = document.createElement('pre');
      strip.id = 'broadsheet-problems';
      strip.setAttribute('role', 'status');
      strip.style.cssText = 'position:fixed;left:0;right:0;bottom:0;z-index:2147483647;margin:0;' +
        'max-height:40vh;overflow:auto;padding:8px 12px;background:#fff3cd;color:#1a1a1a;' +
        'border-top:2px solid #b58100;font:12px/1.5 ui-monospace,monospace;white-space:pre-wrap';
      document.body.append(strip);
    }
    strip.textContent = 'broadsheet serve: the last build reported\\n' + lines.join('\\n');
  });
})();</script>`;
}

/**
 * Puts the live-reload script just before </body> (or at the end when the page has none). Our
 * pages carry a strict Content-Security-Policy (no scripts at all), which would block it; in serve
 * mode only, the policy is widened by exactly this script's nonce and a connection to this server.
 */
export function injectLiveReload(html: string, nonce = randomBytes(12).toString('base64url')): string {
  const page = allowLiveReloadInCsp(html, nonce);
  const script = liveReloadScript(nonce);
  const at = page.toLowerCase().lastIndexOf('</body>');
  return at === -1 ? page + script : page.slice(0, at) + script + page.slice(at);
}

const CSP_META = /<meta\b[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>/gi;
const CONTENT_ATTRIBUTE = /(\bcontent\s*=\s*)(["'])(.*?)\2/is;

function allowLiveReloadInCsp(html: string, nonce: string): string {
  return html.replace(CSP_META, (meta) =>
    meta.replace(CONTENT_ATTRIBUTE, (_all, prefix: string, quote: string, value: string) => {
      const policy = value.replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&');
      const widened = addSource(addSource(policy, 'script-src', `'nonce-${nonce}'`), 'connect-src', "'self'");
      const escaped = quote === '"' ? widened.replaceAll('"', '&quot;') : widened.replaceAll("'", '&#39;');
      return `${prefix}${quote}${escaped}${quote}`;
    }),
  );
}

/** Adds a source to one directive, creating the directive when the policy falls back to default-src. */
function addSource(policy: string, directive: string, source: string): string {
  const parts = policy
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean);
  const at = parts.findIndex((part) => part.toLowerCase().split(/\s+/)[0] === directive);
  if (at === -1) return [...parts, `${directive} ${source}`].join('; ');
  // 'none' cannot be combined with a source.
  const sources = (parts[at] ?? '')
    .split(/\s+/)
    .slice(1)
    .filter((s) => s !== "'none'");
  parts[at] = [directive, ...sources, source].join(' ');
  return parts.join('; ');
}

/** The open event streams; each rebuild tells every page to reload. */
export class LiveReload {
  private readonly clients = new Set<ServerResponse>();
  /** The last build's problems as `file:line: severity: message` lines; sent to each page on connect. */
  private problems: string[] = [];
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
    res.write(problemsEvent(this.problems));
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  /** Shows these problems on every open page now, and on every page that connects later. */
  setProblems(lines: string[]): void {
    this.problems = lines;
    this.write(problemsEvent(lines));
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

function problemsEvent(lines: string[]): string {
  // JSON on one line: an SSE data field ends at a newline.
  return `event: problems\ndata: ${JSON.stringify(lines)}\n\n`;
}
