import { describe, expect, it } from 'vitest';
import { renderSampleSite } from './fixtures/index.ts';

const files = renderSampleSite();
const index = files.get('index.html') ?? '';
const notFound = files.get('404.html') ?? '';

describe('what a reader sees first', () => {
  it('the front page names the site once, as its heading', () => {
    // (It is also named where it must be: its own feeds in the feed list, the copyright line.)
    const headings = index.match(/<(header|h1|h2)>[\s\S]*?<\/\1>/g) ?? [];
    expect(headings.filter((h) => h.includes('Harbor City Ledger'))).toHaveLength(1);
    expect(index).toContain('<header><h1><a href="./">Harbor City Ledger</a></h1></header>');
    expect(index.match(/<h1>/g)).toHaveLength(1);
  });

  it('404.html wears the site shell (styles, header, footer) with links from the site root', () => {
    expect(notFound).toMatch(/^<!doctype html>\n<html lang="en" dir="ltr">/);
    expect(notFound).toContain('<style>');
    expect(notFound).toContain('<title>Page not found · Harbor City Ledger</title>');
    expect(notFound).toMatch(/<header><a href="\/[^"]*">Harbor City Ledger<\/a><\/header>/);
    expect(notFound).toContain('<h1>Page not found</h1>');
    // Served at any depth: every link starts from the root, none is relative to the page.
    const hrefs = [...notFound.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(hrefs.length).toBeGreaterThan(3);
    for (const href of hrefs) expect(href).toMatch(/^(\/|https?:)/);
  });
});
