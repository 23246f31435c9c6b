import { mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PreviewServer, startPreviewServer } from '../../src/cli/serve/server.ts';
import { tempDir } from '../helpers/temp.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: PreviewServer;
let root: string;

/** A raw HTTP request: fetch() would normalise "/../" away before it reached the server. */
function get(
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const base = tempDir('broadsheet-serve-');
  root = join(base, 'out');
  mkdirSync(join(root, 'topics', 'transit'), { recursive: true });
  mkdirSync(join(root, 'newsletter', '2026-11-24'), { recursive: true });
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><html><body><h1>Front page</h1><a href="https://ledger.example/news/topics/transit/">Transit</a></body></html>',
  );
  writeFileSync(join(root, '404.html'), '<!doctype html><html><body>Our own not-found page</body></html>');
  writeFileSync(
    join(root, 'strict.html'),
    '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;"></head><body>Strict</body></html>',
  );
  writeFileSync(join(root, 'rss.xml'), '<?xml version="1.0"?><rss version="2.0"><channel/></rss>');
  writeFileSync(join(root, 'atom.xml'), '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>');
  writeFileSync(join(root, 'feed.json'), '{"version":"https://jsonfeed.org/version/1.1"}');
  writeFileSync(
    join(root, 'feed.xsl'),
    '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>',
  );
  writeFileSync(join(root, 'feeds.opml'), '<opml version="2.0"/>');
  writeFileSync(join(root, 'topics', 'transit', 'index.html'), '<html><body>Transit</body></html>');
  writeFileSync(join(root, 'topics', 'transit', 'rss.xml'), '<rss version="2.0"/>');
  writeFileSync(
    join(root, 'newsletter', '2026-11-24', 'email.html'),
    '<html><head><title>Ledger: Ferry &amp; Tram &#x27;Fares&#x27; Frozen</title></head><body>Edition</body></html>',
  );
  writeFileSync(join(base, 'secret.txt'), 'outside the output folder');
  symlinkSync(join(base, 'secret.txt'), join(root, 'linked-secret.txt'));
  // A fixed, whole-second mtime so Last-Modified comparisons are exact.
  utimesSync(join(root, 'rss.xml'), new Date('2026-11-20T10:00:00Z'), new Date('2026-11-20T10:00:00Z'));
  server = await startPreviewServer({
    root,
    host: '127.0.0.1',
    port: 0,
    siteTitle: () => 'The Harbor City Ledger',
    siteBaseUrl: () => 'https://ledger.example/news/',
    rebuild: async () => false,
    watch: [],
  });
});

afterAll(async () => {
  await server?.close();
});

describe('broadsheet serve: static files', () => {
  it.each([
    ['/rss.xml', 'application/rss+xml; charset=utf-8'],
    ['/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/feed.json', 'application/feed+json; charset=utf-8'],
    ['/feed.xsl', 'text/xsl; charset=utf-8'],
    ['/feeds.opml', 'text/x-opml; charset=utf-8'],
    ['/topics/transit/rss.xml', 'application/rss+xml; charset=utf-8'],
    ['/', 'text/html; charset=utf-8'],
  ])('serves %s as %s', async (path, type) => {
    const answer = await get(path);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(type);
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
  });

  it('gives a browser the feed as application/xml so it applies the XSLT, and a feed reader the feed type', async () => {
    const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const readerAccept = 'application/rss+xml, application/atom+xml;q=0.9, */*;q=0.1';
    for (const path of ['/rss.xml', '/atom.xml']) {
      const inBrowser = await get(path, { headers: { Accept: browserAccept } });
      expect(inBrowser.headers['content-type']).toBe('application/xml; charset=utf-8');
      expect(inBrowser.headers.vary).toBe('Accept');
      const inReader = await get(path, { headers: { Accept: readerAccept } });
      expect(inReader.headers['content-type']).toMatch(/^application\/(rss|atom)\+xml; charset=utf-8$/);
      expect(inReader.headers.etag).not.toBe(inBrowser.headers.etag);
    }
    const json = await get('/feed.json', { headers: { Accept: browserAccept } });
    expect(json.headers['content-type']).toBe('application/feed+json; charset=utf-8');
  });

  it('serves index.html for a folder and redirects a folder URL without its slash', async () => {
    expect((await get('/topics/transit/')).body).toContain('Transit');
    const redirect = await get('/topics/transit?x=1');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/topics/transit/?x=1');
  });

  it('adds the live-reload script to HTML only, and not with ?raw', async () => {
    expect((await get('/')).body).toMatch(/EventSource\('\/__broadsheet\/events'\)[\s\S]*<\/script><\/body>/);
    expect((await get('/rss.xml')).body).not.toContain('EventSource');
    // ?raw: byte for byte what is in out/, as a mail client gets it.
    expect((await get('/newsletter/2026-11-24/email.html?raw')).body).toBe(
      readFileSync(join(root, 'newsletter', '2026-11-24', 'email.html'), 'utf8'),
    );
  });

  it("widens a page's strict CSP by exactly the live-reload script's nonce and a connection home", async () => {
    const { body } = await get('/strict.html');
    const nonce = /<script nonce="([\w-]+)">/.exec(body)?.[1];
    expect(nonce).toBeDefined();
    expect(body).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; connect-src 'self'"`,
    );
    expect((await get('/strict.html?raw')).body).toContain('content="default-src &#39;none&#39;; style-src');
  });

  it('answers If-None-Match with 304 and no body while the ETag matches', async () => {
    const first = await get('/rss.xml');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await get('/rss.xml', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    const other = await get('/rss.xml', { headers: { 'If-None-Match': 'W/"something-else"' } });
    expect(other.status).toBe(200);
  });

  it('answers If-Modified-Since with 304 unless the file is newer', async () => {
    const first = await get('/rss.xml');
    expect(first.headers['last-modified']).toBe('Fri, 20 Nov 2026 10:00:00 GMT');
    const same = await get('/rss.xml', { headers: { 'If-Modified-Since': 'Fri, 20 Nov 2026 10:00:00 GMT' } });
    expect(same.status).toBe(304);
    const older = await get('/rss.xml', {
      headers: { 'If-Modified-Since': 'Thu, 19 Nov 2026 10:00:00 GMT' },
    });
    expect(older.status).toBe(200);
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    const both = await get('/rss.xml', {
      headers: { 'If-None-Match': 'W/"stale"', 'If-Modified-Since': 'Fri, 20 Nov 2026 10:00:00 GMT' },
    });
    expect(both.status).toBe(200);
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const head = await get('/feed.json', { method: 'HEAD' });
    const full = await get('/feed.json');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(full.headers['content-length']);
    expect(head.headers.etag).toBe(full.headers.etag);
  });

  it.each([
    '/../secret.txt',
    '/topics/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/topics/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/linked-secret.txt',
  ])('never serves a file outside the output folder: %s', async (path) => {
    const answer = await get(path);
    expect([403, 404]).toContain(answer.status);
    expect(answer.body).not.toContain('outside the output folder');
  });

  it('points links to the public site at the preview in served HTML, but not in ?raw or in out/', async () => {
    expect((await get('/')).body).toContain('<a href="/topics/transit/">Transit</a>');
    expect((await get('/?raw')).body).toContain('<a href="https://ledger.example/news/topics/transit/">');
    expect(readFileSync(join(root, 'index.html'), 'utf8')).toContain(
      'https://ledger.example/news/topics/transit/',
    );
  });

  it("answers 404 with the site's own 404.html for a missing file, and 405 for other methods", async () => {
    const missing = await get('/no-such-page.html');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(missing.body).toContain('Our own not-found page');
    const post = await get('/rss.xml', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('shows the newsletter at 375 and 600 px beside links to every feed on /__preview', async () => {
    const page = await get('/__preview');
    expect(page.status).toBe(200);
    expect(page.body).toContain(
      '<iframe title="Newsletter at 375 px" src="/newsletter/2026-11-24/email.html?raw" width="375"',
    );
    expect(page.body).toContain('width="600"');
    // The subject line as an inbox shows it, decoded from the email's <title> and escaped again.
    expect(page.body).toContain('Subject: <strong>Ledger: Ferry &amp; Tram &#39;Fares&#39; Frozen</strong>');
    expect(page.body).toContain('href="/newsletter/2026-11-24/email.txt">text</a>');
    for (const feed of ['/rss.xml', '/atom.xml', '/feed.json', '/feeds.opml', '/topics/transit/rss.xml']) {
      expect(page.body).toContain(`href="${feed}"`);
    }
  });
});
