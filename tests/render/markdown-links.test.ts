import { describe, expect, it } from 'vitest';
import { feedContentHtml } from '../../src/render/content.ts';
import { renderBlocksHtml } from '../../src/render/html.ts';
import { article, sampleItems } from './fixtures/index.ts';

describe('links a writer puts in Markdown', () => {
  const base = 'https://ledger.example/articles/some-story/';

  it('a site-relative link becomes absolute, so it works in a feed reader or an inbox', () => {
    const html = renderBlocksHtml(
      ['See [the budget](/articles/budget/) and [notes](notes.pdf).'],
      'markdown',
      base,
    );
    expect(html).toContain('<a href="https://ledger.example/articles/budget/">the budget</a>');
    expect(html).toContain('<a href="https://ledger.example/articles/some-story/notes.pdf">notes</a>');
  });

  it('a relative image becomes absolute', () => {
    const html = renderBlocksHtml(['![Map](img/map.png)'], 'markdown', base);
    expect(html).toContain('<img src="https://ledger.example/articles/some-story/img/map.png" alt="Map">');
  });

  it('script and data targets stay dropped; only the label is kept', () => {
    const html = renderBlocksHtml(['[a](javascript:alert(1)) [b](data:text/html,x)'], 'markdown', base);
    expect(html).not.toContain('<a');
    expect(html).toContain('a b');
  });

  it('without a base, a relative link is text (never a relative URL in a feed)', () => {
    expect(renderBlocksHtml(['[x](/y)'], 'markdown')).toBe('<p>x</p>');
  });
});

describe('feed content of a Markdown story', () => {
  it('carries its relative links resolved against the story page', () => {
    const [item] = sampleItems([
      article({ title: 'Budget Notes', format: 'markdown', body: ['Read [the plan](/plans/2027.pdf).'] }),
    ]);
    const html = item ? feedContentHtml(item) : '';
    expect(html).toContain('<a href="https://news.example.com/plans/2027.pdf">the plan</a>');
  });
});
