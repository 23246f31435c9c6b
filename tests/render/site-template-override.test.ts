import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_SITE_TEMPLATES,
  compileSiteTheme,
  readSiteTemplates,
  renderSite,
} from '../../src/render/index.ts';
import { tempDir } from '../helpers/temp.ts';
import { sampleItems, siteInfo } from './fixtures/index.ts';

/** A publisher's templates/site/ with the given files, read over the default theme. */
function themeWith(files: Record<string, string>) {
  const dir = join(tempDir('broadsheet-theme-'), 'site');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return compileSiteTheme(readSiteTemplates([BUNDLED_SITE_TEMPLATES, dir], (path) => path));
}

function render(theme?: ReturnType<typeof themeWith>): Map<string, string> {
  const options = { site: siteInfo(), feedLimit: 50, authorFeeds: true, ...(theme ? { theme } : {}) };
  return new Map(renderSite(sampleItems(), options).map((f) => [f.path, String(f.contents)]));
}

const bridge = 'articles/city-council-approves-harbor-bridge-budget/index.html';

describe("a publisher's site templates", () => {
  it('a story template of their own replaces the default on every story page, inside the same layout', () => {
    const pages = render(
      themeWith({
        'article.liquid':
          '<article class="ours">\n<h1 class="headline">{{ story.title | upcase }}</h1>\n{{ story.content_html | raw }}\n</article>\n',
      }),
    );
    const page = pages.get(bridge) ?? '';
    expect(page).toContain(
      '<article class="ours">\n<h1 class="headline">CITY COUNCIL APPROVES HARBOR BRIDGE BUDGET</h1>',
    );
    expect(page).toMatch(/^<!doctype html>\n<html lang="en" dir="ltr">/);
    expect(page).toContain('<footer>© 2026 Harbor City Ledger · <a href="../../rss.xml">RSS</a>');
    // Pages of other templates are the default's.
    expect(pages.get('index.html')).toBe(render().get('index.html'));
  });

  it('a stylesheet of their own is what every page carries', () => {
    const pages = render(themeWith({ 'style.css': 'body{font-family:"Publisher Sans",sans-serif}\n' }));
    for (const path of ['index.html', bridge, '404.html'])
      expect(pages.get(path)).toContain('<style>body{font-family:"Publisher Sans",sans-serif}</style>');
    expect(pages.get('index.html')).not.toContain('Georgia');
  });

  it('a partial of their own (the story list) is used by every page that lists stories', () => {
    const pages = render(
      themeWith({
        'story-list.liquid':
          '<ol class="ours">{% for story in stories %}<li>{{ story.title }}</li>{% endfor %}</ol>\n',
      }),
    );
    expect(pages.get('index.html')).toContain('<ol class="ours"><li>');
    expect(pages.get('topics/transport/index.html')).toContain('<ol class="ours"><li>');
    expect(pages.get('index.html')).not.toContain('<ul class="stories">');
  });

  it('a changed template changes the theme version, so a rebuild re-renders every page', () => {
    const base = themeWith({});
    const restyled = themeWith({ 'style.css': 'body{color:red}' });
    expect(restyled.version).not.toBe(base.version);
    expect(themeWith({}).version).toBe(base.version);
  });
});
