/**
 * The peer: the same stories as Markdown in a minimal Hugo site, built with `hugo --quiet`.
 * Hugo is the static generator newsrooms reach for; "Broadsheet ÷ Hugo" says whether we are in
 * its league. Hugo gets the stories already deduplicated (it has no notion of duplicates), one
 * page per story, an RSS feed for the home page and for each author (Broadsheet's author feeds),
 * 50 items per feed like Broadsheet's default `feeds.limit`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_VERSION, type CorpusParams, makeStory, type Story } from './corpus.ts';
import { removeAndSettle } from './floor.ts';

/** Bump when the generated site changes. */
const HUGO_SITE_VERSION = 1;
/** Stories without a date still need one for Hugo's ordering: a fixed one, never "now". */
const FALLBACK_DATE = '2024-01-01T00:00:00-05:00';

export interface HugoResult {
  seconds: number;
  /** Peak RSS of the hugo process in MB, when /usr/bin/time is there to measure it. */
  peakRssMb: number | null;
  version: string;
}

/** `hugo version`'s first line, or null when Hugo is not installed. */
export function hugoVersion(): string | null {
  const result = spawnSync('hugo', ['version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return null;
  return result.stdout.trim().split('\n')[0] ?? null;
}

const CONFIG = `baseURL = "http://localhost:8080/"
languageCode = "en"
title = "Broadsheet bench"
disableKinds = ["sitemap", "robotsTXT", "404"]
rssLimit = 50

[taxonomies]
author = "authors"

[outputs]
home = ["HTML", "RSS"]
section = ["HTML", "RSS"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]
`;

const SINGLE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><article><h1>{{ .Title }}</h1>
<p>{{ delimit (.Params.authors | default (slice)) " and " }} · {{ .Date.Format "January 2, 2006" }}</p>
{{ .Content }}</article></body></html>
`;

const LIST = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head><body><h1>{{ .Title }}</h1><ul>
{{ range first 50 .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>
{{ end }}</ul></body></html>
`;

/** YAML accepts JSON strings, which escape everything a title can hold. */
function yamlString(value: string): string {
  return JSON.stringify(value);
}

/** One story as a Hugo content file: front matter, then the export's sections as Markdown. */
export function storyMarkdown(story: Story): string {
  const front = [
    '---',
    `title: ${yamlString(story.title)}`,
    `date: ${story.published ?? FALLBACK_DATE}`,
    ...(story.updated ? [`lastmod: ${story.updated}`] : []),
    `authors: [${story.authors.map(yamlString).join(', ')}]`,
    '---',
  ];
  const parts: string[] = [];
  if (story.highlights.length > 0) parts.push(story.highlights.map((h) => `- ${h}`).join('\n'));
  parts.push(...story.body);
  if (story.analysis.length > 0) parts.push('## What this might mean', ...story.analysis);
  if (story.related.length > 0)
    parts.push('## Related articles', story.related.map((t) => `- ${t}`).join('\n'));
  return `${front.join('\n')}\n\n${parts.join('\n\n')}\n`;
}

/**
 * Writes (once; reused while parameters match) a Hugo site holding the corpus's stories.
 * Returns the site folder.
 */
export function ensureHugoSite(root: string, params: CorpusParams, progress: (m: string) => void): string {
  const dir = join(root, `hugo-${params.articles}-s${params.seed}-v${CORPUS_VERSION}.${HUGO_SITE_VERSION}`);
  const marker = join(dir, '.complete');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === JSON.stringify(params)) return dir;
  rmSync(dir, { recursive: true, force: true });
  const posts = join(dir, 'content', 'posts');
  mkdirSync(posts, { recursive: true });
  mkdirSync(join(dir, 'layouts', '_default'), { recursive: true });
  writeFileSync(join(dir, 'hugo.toml'), CONFIG);
  writeFileSync(join(dir, 'layouts', '_default', 'single.html'), SINGLE);
  writeFileSync(join(dir, 'layouts', '_default', 'list.html'), LIST);
  for (let i = 0; i < params.articles; i++) {
    writeFileSync(join(posts, `story-${String(i).padStart(6, '0')}.md`), storyMarkdown(makeStory(params, i)));
    if ((i + 1) % Math.max(1, Math.floor(params.articles / 4)) === 0) {
      progress(`hugo site ${params.articles}: ${i + 1}/${params.articles} stories written`);
    }
  }
  writeFileSync(`${marker}.tmp`, JSON.stringify(params));
  renameSync(`${marker}.tmp`, marker);
  return dir;
}

/** Builds the site once from scratch (`public/` removed first) and times it. */
export function timeHugo(siteDir: string, version: string): HugoResult {
  const publicDir = join(siteDir, 'public');
  removeAndSettle(publicDir);
  // GNU time reports the child's peak RSS (KB); Node can't see a child's rusage itself.
  const gnuTime = existsSync('/usr/bin/time');
  const command = gnuTime ? '/usr/bin/time' : 'hugo';
  const args = [...(gnuTime ? ['-f', 'maxrss_kb=%M', 'hugo'] : []), '--quiet', '--source', siteDir];
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    throw new Error(
      `hugo failed (exit ${result.status}): ${(result.stderr || result.stdout).slice(0, 2000)}`,
    );
  }
  const rss = /maxrss_kb=(\d+)/.exec(result.stderr ?? '');
  return { seconds, peakRssMb: rss ? Number(rss[1]) / 1024 : null, version };
}
