import { describe, expect, it } from 'vitest';
import { renderEditionEmail } from '../../src/newsletter/index.ts';
import { makeEdition, makeItems, shippedTemplates, testConfig } from './helpers.ts';

// The two parts of multipart/alternative are one message in two forms: a reader whose client
// shows the text part must get the same stories, and an edition too big for the HTML budget
// must not become a text part of megabytes.

const storyLinks = (part: string) =>
  new Set(part.match(/https:\/\/news\.example\.com\/articles\/story-\d+\//g) ?? []);

async function email(stories: number) {
  const config = testConfig();
  return renderEditionEmail(makeEdition(makeItems(stories), config), config, shippedTemplates());
}

describe('the text part follows the HTML part’s layout', () => {
  it('links the same stories as the HTML when the HTML had to leave some out', async () => {
    const { html, text } = await email(600);
    const inHtml = storyLinks(html);
    expect(inHtml.size).toBeLessThan(600);
    expect(storyLinks(text)).toEqual(inHtml);
    const omitted = html.match(/(\d+) more stories are in the <a href="([^"]+)">web edition<\/a>/);
    expect(omitted).not.toBeNull();
    expect(text).toContain(`${omitted?.[1]} more stories are in the web edition:\n${omitted?.[2]}\n`);
  });

  it('shows the HTML’s cards in full and its briefs as title, date and link', async () => {
    const { html, text } = await email(50);
    const cards = (html.match(/>Read more</g) ?? []).length;
    expect(cards).toBeGreaterThan(0);
    // "Read more" follows the lead and every card, in both parts.
    expect((text.match(/Read more: /g) ?? []).length).toBe(cards + 1);
    expect(text).toMatch(
      /\n\* [^\n]+\(story-050\)\n {2}[A-Z][a-z]{2} \d+, \d{4}[^\n]*\n {2}https:\/\/news\.example\.com\/articles\/story-050\/\n/,
    );
    expect(storyLinks(text)).toEqual(storyLinks(html));
  });

  it('stays a fraction of the HTML budget however many stories the edition has', async () => {
    const small = await email(600);
    const large = await email(3000);
    expect(Buffer.byteLength(large.text)).toBeLessThan(100_000);
    // Past what the email holds, more stories only change the count.
    expect(Buffer.byteLength(large.text)).toBeLessThan(Buffer.byteLength(small.text) + 100);
  });
});
