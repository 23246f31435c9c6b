import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSite } from '../../src/render/index.ts';
import { themeHashes } from './fixtures/theme-cases.ts';

/*
 * The golden hashes were made by the renderer as it was before pages came from templates
 * (commit 2b32e31, pages written by code), from the cases in fixtures/theme-cases.ts: an
 * intended change to the default theme changes this file, and nothing else may.
 */
const golden = JSON.parse(
  readFileSync(new URL('./fixtures/default-theme-golden.json', import.meta.url), 'utf8'),
) as Record<string, string>;

describe('the default theme', () => {
  const now = themeHashes(renderSite);

  it('renders every file of every case byte for byte as the code-written pages did', () => {
    const changed = Object.keys(golden).filter((path) => now[path] !== golden[path]);
    expect(changed).toEqual([]);
    expect(Object.keys(now).sort()).toEqual(Object.keys(golden).sort());
  });

  it('covers every page the site has: paged archive, redirect, 404 under a path, both directions', () => {
    const paths = Object.keys(golden);
    expect(paths.length).toBeGreaterThan(200);
    for (const page of [
      'en/index.html',
      'en/404.html',
      'en/archive/index.html',
      'en/archive/2025/07/page/2/index.html',
      'en/archive/2025/07/page/1/index.html',
      'de/topics/transport/index.html',
      'ar-under-path/authors/maria-chen/index.html',
    ])
      expect(paths).toContain(page);
  });
});
