import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_SITE_TEMPLATES,
  compileSiteTheme,
  readSiteTemplates,
  renderSite,
  SiteTemplateError,
} from '../../src/render/index.ts';
import { tempDir } from '../helpers/temp.ts';
import { sampleItems, siteInfo } from './fixtures/index.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'src/cli/bin.js');

/** The problems compiling (and, when it compiles, rendering) the default theme plus `files` gives. */
function problemsWith(files: Record<string, string>): SiteTemplateError['problems'] {
  const dir = join(tempDir('broadsheet-broken-theme-'), 'site');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  try {
    const theme = compileSiteTheme(
      readSiteTemplates([BUNDLED_SITE_TEMPLATES, dir], (path) => path.replace(`${dir}/`, 'templates/site/')),
    );
    renderSite(sampleItems(), { site: siteInfo(), feedLimit: 50, authorFeeds: true, theme });
  } catch (error) {
    if (error instanceof SiteTemplateError) return error.problems;
    throw error;
  }
  return [];
}

describe('a broken site template', () => {
  it('an unknown tag is named with its file and line', () => {
    expect(problemsWith({ 'article.liquid': '<article>\n\n{% sparkle %}\n</article>\n' })).toEqual([
      { file: 'templates/site/article.liquid', line: 3, message: 'tag "sparkle" not found (column 1)' },
    ]);
  });

  it('an unclosed block is named at the line that opens it', () => {
    expect(
      problemsWith({ 'feed.liquid': '<h1>{{ feed.name }}</h1>\n{% if feed.description %}\n<p>x</p>\n' }),
    ).toEqual([
      {
        file: 'templates/site/feed.liquid',
        line: 2,
        message: 'tag {% if feed.description %} not closed (column 1)',
      },
    ]);
  });

  it('an unknown filter is an error, in a partial no page has used yet too, and every broken file is listed', () => {
    const problems = problemsWith({
      'story-list.liquid': '<ul>\n{{ stories | sparkle }}\n</ul>\n',
      'never-used.liquid': 'fine\nfine\n{% endif %}\n',
    });
    expect(problems.map((p) => `${p.file}:${p.line}`).sort()).toEqual([
      'templates/site/never-used.liquid:3',
      'templates/site/story-list.liquid:2',
    ]);
    expect(problems.find((p) => p.file.endsWith('story-list.liquid'))?.message).toContain(
      'undefined filter: sparkle',
    );
  });

  it('a partial that does not exist is named at the line that renders it', () => {
    expect(
      problemsWith({ 'not-found.liquid': '<h1>{{ t.notFound }}</h1>\n{% render "nowhere" %}\n' }),
    ).toEqual([
      {
        file: 'templates/site/not-found.liquid',
        line: 2,
        message: 'no template "nowhere" (no nowhere.liquid in templates/site/) (column 1)',
      },
    ]);
  });

  it('a variable the view does not have is named with file and line when the page is filled', () => {
    expect(
      problemsWith({ 'not-found.liquid': '<h1>{{ t.notFound }}</h1>\n<p>{{ page.nothing }}</p>\n' }),
    ).toEqual([
      {
        file: 'templates/site/not-found.liquid',
        line: 2,
        message: 'undefined variable: page.nothing (column 7)',
      },
    ]);
  });

  it('stops `broadsheet build` with exit 1 and file:line, and out/ stays the previous build', () => {
    const site = tempDir('broadsheet-broken-build-');
    cpSync(join(REPO, 'articles'), join(site, 'articles'), { recursive: true });
    cpSync(join(REPO, 'broadsheet.config.json'), join(site, 'broadsheet.config.json'));
    const build = () =>
      spawnSync(process.execPath, [BIN, 'build', '--quiet'], {
        cwd: site,
        env: { ...process.env, SOURCE_DATE_EPOCH: '1795550400' },
        encoding: 'utf8',
      });
    expect(build().status).toBe(0);
    const published = realpathSync(join(site, 'out'));
    const index = readFileSync(join(site, 'out/index.html'), 'utf8');
    mkdirSync(join(site, 'templates/site'), { recursive: true });
    for (const [name, text] of [
      ['index.liquid', '<p>restyled</p>\n{% for story in stories %}\n'],
      ['article.liquid', '<h1>{{ story.title }}</h1>\n{{ story.no_such_thing }}\n'],
    ] as const) {
      writeFileSync(join(site, 'templates/site', name), text);
      const run = build();
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(`templates/site/${name}:2: error: site template: .*\\[site/template\\]`),
      );
      expect(realpathSync(join(site, 'out'))).toBe(published);
      expect(readFileSync(join(site, 'out/index.html'), 'utf8')).toBe(index);
      rmSync(join(site, 'templates/site', name));
    }
  });
});
