import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildReport } from '../../src/pipeline/run.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { readTree, siteConfig, siteContext, tempProject } from './build-site-helpers.ts';

/**
 * A real build (runPipeline: read → media → normalize → render → newsletter → write) of a project
 * whose Markdown articles name a picture, a map in the text, a podcast episode, and a picture
 * that is not there (fixtures/media-site/articles).
 */
const FIXTURE = join(import.meta.dirname, 'fixtures', 'media-site', 'articles');
const NOW = '2026-11-24T20:00:00Z';
const config = siteConfig({
  site: { title: 'Harbor Media Test', baseUrl: 'https://news.example.com/', timeZone: 'UTC' },
  newsletter: { postalAddress: '1 Test Street, Harbor City' },
  delivery: { from: { name: 'Test', email: 'news@news.example.com' } },
});

async function buildProject(root: string): Promise<BuildReport> {
  return runPipeline(siteContext(root, NOW, config), { newsletter: true });
}

function project(): string {
  const root = tempProject();
  cpSync(FIXTURE, join(root, 'articles'), { recursive: true });
  return root;
}

describe('a build with images and enclosures', () => {
  let root: string;
  let report: BuildReport;
  let out: Map<string, Buffer>;
  const text = (path: string) => out.get(path)?.toString() ?? '';
  const mediaPath = (prefix: string) => [...out.keys()].find((p) => p.startsWith(`media/${prefix}`)) ?? '';

  beforeAll(async () => {
    root = project();
    report = await buildProject(root);
    out = readTree(join(root, 'out'));
  });

  it('copies each named file into out/media/ under a content-hashed name, byte for byte', () => {
    const photo = mediaPath('harbour-photo-');
    expect(photo).toMatch(/^media\/harbour-photo-[0-9a-f]{12}\.jpg$/);
    expect(out.get(photo)).toEqual(readFileSync(join(FIXTURE, 'harbour-photo.jpg')));
    expect(mediaPath('ferry-map-')).toMatch(/\.png$/);
    expect(mediaPath('episode-12-')).toMatch(/\.mp3$/);
    // Named by two stories, copied once.
    expect([...out.keys()].filter((p) => p.startsWith('media/'))).toHaveLength(3);
  });

  it('reports the missing picture as an error at its line and the missing alt as a warning, and builds the rest', () => {
    const media = report.diagnostics.filter((d) => d.code.startsWith('media/'));
    expect(media).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'media/missing-file',
        file: 'articles/2026-11-20-missing-picture.md',
        line: 4,
      }),
      expect.objectContaining({
        severity: 'warning',
        code: 'media/missing-alt',
        file: 'articles/2026-11-20-missing-picture.md',
        line: 10,
      }),
    ]);
    expect(report.items).toBe(3);
    expect(text('articles/a-story-whose-picture-went-missing/index.html')).not.toContain('<figure');
    // Pictures and sound in articles/ are assets, not "not an article file".
    expect(report.diagnostics.filter((d) => d.code === 'ingest/unknown-extension')).toEqual([]);
  });

  it('gives pages <img> with the measured width, height and alt, and Open Graph and Twitter cards', () => {
    const page = text('articles/the-harbour-at-dawn/index.html');
    const photoUrl = `https://news.example.com/${mediaPath('harbour-photo-')}`;
    expect(page).toContain(
      `<img src="${photoUrl}" alt="Fishing boats moored in the harbour under a blue sky" width="64" height="40">`,
    );
    expect(page).toContain('<figcaption>The east harbour at 6 a.m. Photo: Ana Ruiz</figcaption>');
    expect(page).toContain(
      `<img src="https://news.example.com/${mediaPath('ferry-map-')}" alt="Map of the ferry route across the bay" width="32" height="24">`,
    );
    expect(page).toContain(`<meta property="og:image" content="${photoUrl}">`);
    expect(page).toContain('<meta property="og:image:width" content="64">');
    expect(page).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(page).toContain(
      '<meta name="twitter:image:alt" content="Fishing boats moored in the harbour under a blue sky">',
    );
    const podcast = text('articles/podcast-the-councils-water-plan-episode-12/index.html');
    expect(podcast).toContain(
      `<audio controls preload="none" src="https://news.example.com/${mediaPath('episode-12-')}">`,
    );
    expect(podcast).toContain('<meta property="og:audio:type" content="audio/mpeg">');
  });

  it('carries the picture and the episode in RSS, read back by rss-parser', async () => {
    type Extra = {
      mediaContent: { $: Record<string, string> };
      'itunes:episode': string;
      itunes?: { duration?: string };
    };
    const parser = new Parser<Record<string, never>, Extra>({
      customFields: { item: [['media:content', 'mediaContent'], 'itunes:episode'] },
    });
    const feed = await parser.parseString(text('rss.xml'));
    const episode = feed.items.find((i) => i.title?.startsWith('Podcast'));
    expect(episode?.enclosure).toEqual({
      url: `https://news.example.com/${mediaPath('episode-12-')}`,
      type: 'audio/mpeg',
      length: '2010',
    });
    expect(episode?.itunes?.duration).toBe('1930');
    expect(episode?.['itunes:episode']).toBe('12');
    const harbour = feed.items.find((i) => i.title === 'The harbour at dawn');
    expect(harbour?.mediaContent.$).toMatchObject({
      url: `https://news.example.com/${mediaPath('harbour-photo-')}`,
      medium: 'image',
      type: 'image/jpeg',
      width: '64',
      height: '40',
    });
  });

  it('carries them as rel="enclosure" links in Atom and as image and attachments in JSON Feed', () => {
    const atom = new XMLParser({
      ignoreAttributes: false,
      isArray: (n) => n === 'entry' || n === 'link',
    }).parse(text('atom.xml'));
    const enclosures = (title: string) =>
      (atom.feed.entry as { title: { '#text': string }; link: Record<string, string>[] }[])
        .find((e) => e.title['#text'].includes(title))
        ?.link.filter((l) => l['@_rel'] === 'enclosure')
        .map((l) => [l['@_href'], l['@_type'], l['@_length']]);
    expect(enclosures('harbour')).toEqual([
      [`https://news.example.com/${mediaPath('harbour-photo-')}`, 'image/jpeg', '836'],
    ]);
    expect(enclosures('Podcast')).toEqual([
      [`https://news.example.com/${mediaPath('episode-12-')}`, 'audio/mpeg', '2010'],
    ]);
    const json = JSON.parse(text('feed.json'));
    const harbour = json.items.find((i: { title: string }) => i.title === 'The harbour at dawn');
    expect(harbour.image).toBe(`https://news.example.com/${mediaPath('harbour-photo-')}`);
    expect(harbour.banner_image).toBe(harbour.image);
    const episode = json.items.find((i: { title: string }) => i.title.startsWith('Podcast'));
    expect(episode.attachments).toEqual([
      {
        url: `https://news.example.com/${mediaPath('episode-12-')}`,
        mime_type: 'audio/mpeg',
        size_in_bytes: 2010,
        duration_in_seconds: 1930,
      },
    ]);
  });

  it('shows the lead picture in the email by absolute URL with its size and alt, under the 102 KB clip', () => {
    const email = text('newsletter/2026-11-24/email.html');
    const img = /<img[^>]*harbour-photo[^>]*>/s.exec(email)?.[0] ?? '';
    expect(img).toContain(`src="https://news.example.com/${mediaPath('harbour-photo-')}"`);
    expect(img).toContain('alt="Fishing boats moored in the harbour under a blue sky"');
    expect(img).toContain('width="64"');
    expect(img).toContain('height="40"');
    expect(Buffer.byteLength(email)).toBeLessThan(102 * 1024);
  });

  it('gives a changed picture a new name and drops the old file; a rebuild without changes keeps the bytes', async () => {
    const before = mediaPath('harbour-photo-');
    const again = project();
    await buildProject(again);
    const first = readTree(join(again, 'out'));
    await buildProject(again);
    expect(readTree(join(again, 'out'))).toEqual(first);
    const photo = join(again, 'articles', 'harbour-photo.jpg');
    writeFileSync(photo, Buffer.concat([readFileSync(photo), Buffer.from([0])]));
    await buildProject(again);
    const after = readTree(join(again, 'out'));
    const renamed = [...after.keys()].find((p) => p.startsWith('media/harbour-photo-'));
    expect(renamed).not.toBe(before);
    expect(after.has(before)).toBe(false);
    expect(after.get('articles/the-harbour-at-dawn/index.html')?.toString()).toContain(renamed);
  });
});
