import { describe, expect, it } from 'vitest';
import { EMAIL_HTML_BUDGET, renderEditionEmail } from '../../src/newsletter/index.ts';
import { makeEdition, makeItems, shippedTemplates, testConfig } from './helpers.ts';

const GMAIL_CLIP = 102_000;
const bytes = (html: string) => Buffer.byteLength(html, 'utf8');
const cards = (html: string) => (html.match(/>Read more</g) ?? []).length;
const briefs = (html: string) => (html.match(/<li style="margin:0 0 6px;"><a /g) ?? []).length;

describe('email size stays under Gmail’s clip', () => {
  it('fits 20 stories with 4 highlights each as full cards', async () => {
    const config = testConfig();
    const { html } = await renderEditionEmail(makeEdition(makeItems(20), config), config, shippedTemplates());
    expect(bytes(html)).toBeLessThan(EMAIL_HTML_BUDGET);
    expect(cards(html)).toBe(19);
  });

  it('fits 50 stories: maxStories cards, the rest as a linked "More stories" list', async () => {
    const config = testConfig();
    const { html, text } = await renderEditionEmail(
      makeEdition(makeItems(50), config),
      config,
      shippedTemplates(),
    );
    expect(bytes(html)).toBeLessThan(EMAIL_HTML_BUDGET);
    expect(cards(html)).toBe(config.newsletter.maxStories);
    expect(briefs(html)).toBe(49 - config.newsletter.maxStories);
    expect(html).toContain('More stories');
    // Every story is still reachable from the email.
    for (let i = 1; i <= 50; i++) expect(html).toContain(`/articles/story-${String(i).padStart(3, '0')}/`);
    expect(text).toContain('/articles/story-050/');
  });

  it('sheds cards (never stories) when the configured number of cards would not fit', async () => {
    const config = testConfig({ newsletter: { maxStories: 500 } });
    const { html } = await renderEditionEmail(
      makeEdition(makeItems(120), config),
      config,
      shippedTemplates(),
    );
    expect(bytes(html)).toBeLessThan(EMAIL_HTML_BUDGET);
    expect(cards(html)).toBeGreaterThan(10);
    expect(cards(html) + briefs(html)).toBe(119);
  });

  it('links to the web edition for stories beyond what any email can hold', async () => {
    const config = testConfig();
    const { html } = await renderEditionEmail(
      makeEdition(makeItems(600), config),
      config,
      shippedTemplates(),
    );
    expect(bytes(html)).toBeLessThan(GMAIL_CLIP);
    expect(html).toMatch(
      /\d+ more stories are in the <a href="https:\/\/news\.example\.com\/newsletter\/2026-11-23\/">web edition<\/a>/,
    );
    expect(html).toContain('Unsubscribe</a>');
  });
});
