import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../render/html.ts';
import { textDirection } from '../render/index.ts';

/**
 * The small pages our mounted endpoints answer with (unsubscribe, signup, confirmation,
 * preferences): one shell, one set of headers, one body reader.
 */

/** Bodies are a few form fields; anything bigger is not ours. */
export const MAX_BODY_BYTES = 4096;

/** Reads the body; null when it is larger than `limit` bytes (a form's few fields by default). */
export async function readBody(req: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  options: { headOnly?: boolean; headers?: Record<string, string> } = {},
): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  // A token in the URL is a credential: no caching, no referrer, no indexing.
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Robots-Tag', 'noindex');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  );
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(html));
  res.end(options.headOnly ? undefined : html);
}

const STYLE =
  'html{background:#fff}body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222;background:#fff}' +
  'button{font:inherit;padding:.5rem 1.25rem;border:0;border-radius:4px;background:#222;color:#fff;cursor:pointer}' +
  'form{margin:1rem 0}fieldset{border:1px solid #999;border-radius:4px;margin:0 0 .75rem}' +
  'input[type=email]{font:inherit;padding:.4rem;border:1px solid #666;border-radius:4px;width:100%;box-sizing:border-box}' +
  'label{display:block;margin:.25rem 0}.notice{padding:.5rem .75rem;border-left:4px solid #0b57d0;background:#eef3fd}';

export function pageHtml(siteTitle: string, language: string, heading: string, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(language)}" dir="${textDirection(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(heading)} · ${escapeHtml(siteTitle)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(heading)}</h1>
${body}
</main>
</body>
</html>
`;
}
