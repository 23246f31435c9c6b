// `npm run screenshots`: builds the sample publication (this repo's articles/, config and
// templates) into a temp folder, serves it with `broadsheet
// serve`'s server so the browser applies the feeds' XSLT, and writes the README's screenshots
// with headless Chromium to tests/docs/screenshots/.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { listEditions } from '../../src/cli/serve/preview.ts';
import { startPreviewServer } from '../../src/cli/serve/server.ts';
import { launchChromium } from '../helpers/chromium.ts';

const repo = resolve(import.meta.dirname, '../..');
const shots = join(repo, 'tests/docs/screenshots');
// A fixed "now" just after the newest sample article, so every run draws the same edition.
const SOURCE_DATE_EPOCH = String(Date.parse('2026-11-24T18:00:00Z') / 1000);
function buildSample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-shots-'));
  cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
  const config = JSON.parse(readFileSync(join(repo, 'broadsheet.config.json'), 'utf8'));
  delete config.$schema;
  config.paths = { ...config.paths, templates: join(repo, 'templates') };
  writeFileSync(join(dir, 'broadsheet.config.json'), JSON.stringify(config, null, 2));
  const build = spawnSync(process.execPath, [join(repo, 'src/cli/bin.js'), 'build'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH },
  });
  process.stderr.write(build.stderr);
  if (build.status !== 0) throw new Error(`build exited ${build.status}`);
  return dir;
}

async function main(): Promise<void> {
  const dir = buildSample();
  const out = join(dir, 'out');
  const server = await startPreviewServer({
    root: out,
    host: '127.0.0.1',
    port: 0,
    siteTitle: () => 'The Harbor City Ledger',
    rebuild: async () => false,
    watch: [],
  });
  const browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
  const written: string[] = [];
  try {
    const shoot = async (name: string, path: string, width: number, height: number, fullPage: boolean) => {
      const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
      const response = await page.goto(new URL(path, server.url).toString(), { waitUntil: 'load' });
      if (!response?.ok()) throw new Error(`${path}: HTTP ${response?.status()}`);
      // Chromium 156 puts a banner over every XSLT-rendered page announcing that XSLT is being
      // removed (the README says so); the screenshot shows the page under it.
      await page.evaluate(() => {
        for (const banner of document.querySelectorAll('xslt-warning-banner')) banner.remove();
      });
      const file = join(shots, `${name}.png`);
      await page.screenshot({ path: file, fullPage });
      await page.close();
      written.push(file);
    };
    const [edition] = await listEditions(out);
    if (edition) {
      // ?raw: the page as a mail client gets it, without serve's live-reload script.
      await shoot('newsletter-600', `${edition.href}?raw`, 600, 900, false);
      await shoot('newsletter-375', `${edition.href}?raw`, 375, 812, false);
    } else {
      process.stderr.write('no newsletter edition was built: newsletter screenshots skipped\n');
    }
    await shoot('feed-rss', '/rss.xml', 1024, 768, false);
    await shoot('site-home', '/', 1024, 768, false);
    await shoot('preview', '/__preview', 1360, 900, false);
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  for (const file of written) process.stderr.write(`wrote ${file}\n`);
}

await main();
