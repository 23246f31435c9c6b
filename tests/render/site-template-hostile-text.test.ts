import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_SITE_TEMPLATES,
  compileSiteTheme,
  readSiteTemplates,
  renderSite,
  type SiteTheme,
} from '../../src/render/index.ts';
import { tempDir } from '../helpers/temp.ts';
import { findExecutableMarkup, hostileArticle, sampleItems, siteInfo } from './fixtures/index.ts';
import { templateLookingArticles } from './fixtures/theme-cases.ts';

const items = sampleItems([hostileArticle(), ...templateLookingArticles()]);
const hostileSite = siteInfo({
  title: '{{ site.title }} <script>x</script>',
  description: '{% if true %}"Quoted" & \'single\'{% endif %}',
  copyright: '© {{ t.subscribe }}',
});

function render(theme?: SiteTheme): Map<string, string> {
  const options = { site: hostileSite, feedLimit: 50, authorFeeds: true, ...(theme ? { theme } : {}) };
  return new Map(renderSite(items, options).map((f) => [f.path, String(f.contents)]));
}

const pages = render();
const html = [...pages].filter(([path]) => path.endsWith('.html'));
const liquidPage = pages.get('articles/site-title-and-if-true-yes-endif-7-plus-1/index.html') ?? '';

describe('article and site text that looks like markup or like Liquid', () => {
  it('is printed as text, never run as template code', () => {
    expect(liquidPage).toContain(
      '<h1>{{ site.title }} and {% if true %}yes{% endif %} {{ 7 | plus: 1 }}</h1>',
    );
    expect(liquidPage).toContain(
      '<p>{% assign x = &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; %}{{ x }}</p>',
    );
    expect(liquidPage).toContain('<p>It&#39;s &quot;quoted&quot; &amp; {{ t.subscribe }}.</p>');
    expect(liquidPage).toContain('{% raw %}{{ raw }}{% endraw %} and {%- comment -%}gone?{%- endcomment -%}');
    expect(liquidPage).toContain('By {{ page.root }} Writer');
    const markdown = pages.get('articles/markdown-with-content/index.html') ?? '';
    expect(markdown).toContain('<h1>Markdown with {{ content }}</h1>');
    expect(markdown).toContain('<code>{{ code }}</code>');
    expect(markdown).toContain('{% for i in (1..3) %}{{ i }}{% endfor %}');
  });

  it('is escaped in the site title, description and copyright on every page', () => {
    for (const [path, page] of html) {
      if (path.includes('/page/1/')) continue;
      expect(page, path).toContain('{{ site.title }} &lt;script&gt;x&lt;/script&gt;</a>');
      expect(page, path).toContain('<footer>© {{ t.subscribe }} · ');
    }
    expect(pages.get('index.html')).toContain(
      '<p class="summary">{% if true %}&quot;Quoted&quot; &amp; &#39;single&#39;{% endif %}</p>',
    );
  });

  it('leaves no markup that could run in any page', () => {
    for (const [path, page] of html) expect(findExecutableMarkup(page), path).toBeNull();
    expect(liquidPage).not.toContain('<script>');
  });

  it("stays text in a publisher's template that prints it without | raw", () => {
    const dir = join(tempDir('broadsheet-hostile-theme-'), 'site');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'article.liquid'), '<h1>{{ story.title }}</h1>\n<p>{{ page.description }}</p>\n');
    const theme = compileSiteTheme(readSiteTemplates([BUNDLED_SITE_TEMPLATES, dir], (path) => path));
    const hostile =
      render(theme).get('articles/script-alert-1-script-tom-jerry-quoted-b-bold-b/index.html') ?? '';
    expect(hostile).toContain(
      '<h1>&lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry ]]&gt; &quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt;</h1>',
    );
    expect(findExecutableMarkup(hostile)).toBeNull();
  });
});
