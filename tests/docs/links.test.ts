import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README and every page under docs/: each link and image points at a file that exists (and,
// with a #fragment into a page, at one of its headings), and every page is reachable from the
// README. The README once linked a FORMAT.md that did not exist.
const repo = resolve(import.meta.dirname, '../..');
const pages = [
  'README.md',
  ...readdirSync(join(repo, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The text outside fenced code blocks, where a `[x](y)` is an example, not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
}

function linksIn(page: string): string[] {
  // Code spans too: "`![alt](file)`" in a sentence shows the syntax, it links nowhere.
  const text = prose(readFileSync(join(repo, page), 'utf8')).replace(/`[^`\n]+`/g, '');
  return [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorsIn(page: string): Set<string> {
  const text = prose(readFileSync(join(repo, page), 'utf8'));
  const anchors = [...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
    (m[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-'),
  );
  return new Set(anchors);
}

describe('links in the README and docs/', () => {
  it('point at files that exist, and at headings that exist', () => {
    let checked = 0;
    for (const page of pages) {
      for (const link of linksIn(page)) {
        if (/^[a-z]+:/.test(link)) continue; // https:, mailto:
        const [path = '', fragment] = link.split('#');
        const target = path === '' ? page : relative(repo, resolve(repo, dirname(page), path));
        expect(existsSync(join(repo, target)), `${page}: ${link}`).toBe(true);
        if (fragment && target.endsWith('.md'))
          expect(anchorsIn(target), `${page}: ${link}`).toContain(fragment);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(pages.length);
  });

  it('name no Markdown file that does not exist', () => {
    for (const page of pages) {
      const text = readFileSync(join(repo, page), 'utf8');
      for (const [, name = ''] of text.matchAll(/`([\w./-]+\.md)`/g)) {
        const found = [join(repo, dirname(page), name), join(repo, name)].some(existsSync);
        expect(found, `${page} names ${name}`).toBe(true);
      }
    }
  });

  it('reach every page under docs/ from the README', () => {
    const linked = new Set(linksIn('README.md').map((link) => link.split('#')[0]));
    for (const page of pages.slice(1)) expect(linked, page).toContain(page);
  });
});
