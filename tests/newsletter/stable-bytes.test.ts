import { describe, expect, it } from 'vitest';
import { renderEditionEmail, renderEditionWebView } from '../../src/newsletter/index.ts';
import { makeEdition, makeItems, shippedTemplates, testConfig } from './helpers.ts';

describe('stable output', () => {
  it('renders the same bytes for the same edition, every time', async () => {
    const config = testConfig();
    const first = await renderEditionEmail(makeEdition(makeItems(12), config), config, shippedTemplates());
    const second = await renderEditionEmail(makeEdition(makeItems(12), config), config, shippedTemplates());
    expect(second.html).toBe(first.html);
    expect(second.text).toBe(first.text);
    const webA = await renderEditionWebView(makeEdition(makeItems(12), config), config, shippedTemplates());
    const webB = await renderEditionWebView(makeEdition(makeItems(12), config), config, shippedTemplates());
    expect(webB).toBe(webA);
  });

  it('changes when a story changes (the comparison above can fail)', async () => {
    const config = testConfig();
    const items = makeItems(3);
    const first = await renderEditionEmail(makeEdition(items, config), config, shippedTemplates());
    const edited = items.map((item, i) => (i === 1 ? { ...item, title: `${item.title} (updated)` } : item));
    const second = await renderEditionEmail(makeEdition(edited, config), config, shippedTemplates());
    expect(second.html).not.toBe(first.html);
  });
});
