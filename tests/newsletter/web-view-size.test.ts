import { describe, expect, it } from 'vitest';
import { renderEditionWebView, WEB_BRIEFS, WEB_CARDS } from '../../src/newsletter/email.ts';
import { editionItems } from '../../src/newsletter/index.ts';
import { makeEdition, makeItems, shippedTemplates, testConfig } from './helpers.ts';

// A first edition of a large archive (the last 7 days of it) can hold thousands of stories.
describe('the web edition of a very large edition', () => {
  it('shows cards, then linked titles, then counts the rest with a link to the archive', async () => {
    const config = testConfig();
    const stories = 1 + WEB_CARDS + WEB_BRIEFS + 37;
    const edition = makeEdition(makeItems(stories), config);
    const html = await renderEditionWebView(edition, config, shippedTemplates());
    const items = editionItems(edition);
    const linked = (i: number) => html.includes(`href="${items[i]?.url}"`);
    // The lead, WEB_CARDS cards and WEB_BRIEFS briefs link to their stories; the last 37 do not.
    expect(linked(0)).toBe(true);
    expect(linked(WEB_CARDS + WEB_BRIEFS)).toBe(true);
    expect(linked(WEB_CARDS + WEB_BRIEFS + 1)).toBe(false);
    expect(linked(stories - 1)).toBe(false);
    expect(html).toMatch(
      new RegExp(`37 more stories are in the <a href="${config.site.baseUrl}archive/"[^>]*>archive</a>`),
    );
  });

  it('stays whole below the limits: every story, nothing counted', async () => {
    const config = testConfig();
    const edition = makeEdition(makeItems(40), config);
    const html = await renderEditionWebView(edition, config, shippedTemplates());
    for (const item of editionItems(edition)) expect(html).toContain(`href="${item.url}"`);
    expect(html).not.toContain('more stories are in the');
  });
});
