// The bench's corpus generator must be right before its numbers mean anything: deterministic,
// in the export format, with the duplicate and dump proportions it claims. No timing here.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.ts';
import {
  DATE_STYLES,
  ensureCorpus,
  exportLines,
  formatDate,
  makeStory,
  nearDuplicate,
  planCorpus,
  renderFile,
  type Story,
} from './corpus.ts';

const temp = tempDir('bench-corpus-');

function digestOf(dir: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) hash.update(name).update(readFileSync(join(dir, name)));
  return hash.digest('hex');
}

describe('determinism', () => {
  it('writes byte-identical corpora for the same parameters, and different ones for another seed', () => {
    const a = ensureCorpus(join(temp, 'a'), { articles: 150, seed: 7 });
    const b = ensureCorpus(join(temp, 'b'), { articles: 150, seed: 7 });
    const c = ensureCorpus(join(temp, 'c'), { articles: 150, seed: 8 });
    expect(digestOf(a.articlesDir)).toBe(digestOf(b.articlesDir));
    expect(digestOf(a.articlesDir)).not.toBe(digestOf(c.articlesDir));
  });

  it('reuses a complete corpus instead of writing it again', () => {
    const first = ensureCorpus(join(temp, 'reuse'), { articles: 60, seed: 3 });
    const name = readdirSync(first.articlesDir)[0] as string;
    const mtime = statSync(join(first.articlesDir, name)).mtimeMs;
    const second = ensureCorpus(join(temp, 'reuse'), { articles: 60, seed: 3 });
    expect(first.reused).toBe(false);
    expect(second.reused).toBe(true);
    expect(statSync(join(second.articlesDir, name)).mtimeMs).toBe(mtime);
    expect(second.manifest.stats).toEqual(first.manifest.stats);
  });
});

describe('file plan proportions (5000 stories)', () => {
  const params = { articles: 5000, seed: 1 };
  const plans = planCorpus(params);
  const copies = plans.flatMap((plan, file) => plan.copies.map((copy) => ({ ...copy, file })));

  it('holds every story exactly once as an original', () => {
    const originals = copies
      .filter((c) => c.kind === 'original' || c.kind === 'twice-first')
      .map((c) => c.story);
    expect(originals.length).toBe(params.articles);
    expect(new Set(originals).size).toBe(params.articles);
  });

  it('re-exports about 8% of stories in another file, never the original one', () => {
    const near = copies.filter((c) => c.kind === 'near-duplicate');
    expect(near.length / params.articles).toBeGreaterThan(0.065);
    expect(near.length / params.articles).toBeLessThan(0.095);
    const fileOf = new Map(copies.filter((c) => c.kind !== 'near-duplicate').map((c) => [c.story, c.file]));
    for (const copy of near) expect(copy.file).not.toBe(fileOf.get(copy.story));
  });

  it('puts about 3% of stories twice in one file, one copy right after the other', () => {
    const twice = plans.flatMap((plan) =>
      plan.copies.flatMap((copy, i) => (copy.kind === 'twice-first' ? [[copy, plan.copies[i + 1]]] : [])),
    );
    expect(twice.length / params.articles).toBeGreaterThan(0.02);
    expect(twice.length / params.articles).toBeLessThan(0.04);
    for (const [first, second] of twice)
      expect(second).toEqual({ story: first?.story, kind: 'twice-second' });
  });

  it('makes about 10% of files dumps of 3 to 5 different articles', () => {
    const storiesPerFile = plans.map((plan) => new Set(plan.copies.map((c) => c.story)).size);
    const dumps = storiesPerFile.filter((n) => n > 1);
    expect(dumps.length / plans.length).toBeGreaterThan(0.08);
    expect(dumps.length / plans.length).toBeLessThan(0.12);
    // The last dump may be cut short by the end of the corpus.
    expect(dumps.slice(0, -1).every((n) => n >= 3 && n <= 5)).toBe(true);
  });

  it('names files uniquely and in build order', () => {
    const names = plans.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(names);
  });
});

describe('export format', () => {
  const params = { articles: 400, seed: 2 };
  const plans = planCorpus(params);
  const storyOf = (i: number) => makeStory(params, i);

  it('starts every copy with its title, a blank line and "In This Article", dumps included', () => {
    for (const plan of plans.filter((p) => p.copies.length > 1).slice(0, 40)) {
      const text = renderFile(params, plan, storyOf)
        .toString('utf8')
        .replace(/^\uFEFF/, '');
      const lines = text.split(/\r?\n/);
      const starts = lines.flatMap((line, i) => (line === 'In This Article' ? [i - 2] : []));
      expect(starts.length).toBe(plan.copies.length);
      starts.forEach((start, k) => {
        expect(lines[start]).toBe(storyOf((plan.copies[k] as { story: number }).story).title);
        expect(lines[start + 1]).toBe('');
        // In a dump the next title follows the last related title with no blank line between.
        if (start > 0) expect(lines[start - 1]).not.toBe('');
      });
    }
  });

  it('writes the seed file shape: a byline-less copy, then the same article with its byline', () => {
    const story: Story = { ...makeStory(params, 5), authors: ['Ethan Brooks'], dateStyle: 'byline-no-date' };
    story.published = null;
    story.bylineSharesHighlights = true;
    expect(exportLines(story, false)[3]).toBe('HIGHLIGHTS');
    expect(exportLines(story)[3]).toBe('Ethan Brooks| Published HIGHLIGHTS');
  });

  it('lays out sections in order: bullets, body, analysis, related titles separated by blank lines', () => {
    const story = makeStory(params, 11);
    const lines = exportLines({
      ...story,
      bylineSharesHighlights: false,
      highlights: ['a', 'b'],
      related: ['X', 'Y'],
    });
    const at = lines.indexOf('HIGHLIGHTS');
    expect(lines.slice(at + 1, at + 3)).toEqual(['- a', '- b']);
    expect(lines[at + 3]).toBe(story.body[0]);
    expect(lines.slice(-5)).toEqual(['Related Articles', '', 'X', '', 'Y']);
  });

  it('uses every byline and date style, CRLF files and BOMs somewhere in a 2000-story corpus', () => {
    const big = ensureCorpus(join(temp, 'styles'), { articles: 2000, seed: 1 }).manifest.stats;
    for (const style of DATE_STYLES) expect(big.dateStyles[style]).toBeGreaterThan(0);
    expect(big.crlfFiles).toBeGreaterThan(0);
    expect(big.bomFiles).toBeGreaterThan(0);
  });

  it('edits a near-duplicate only slightly: same title, most of the body unchanged', () => {
    for (let i = 0; i < 30; i++) {
      const story = makeStory(params, i);
      const copy = nearDuplicate(params, story);
      expect(copy.title).toBe(story.title);
      const same = copy.body.filter((p, k) => p === story.body[k]).length;
      expect(same).toBeGreaterThanOrEqual(story.body.length - 1);
      expect(exportLines(copy).join('\n')).not.toBe(exportLines(story).join('\n'));
    }
  });
});

describe('date styles', () => {
  const summer = '2025-07-03T21:41:00-04:00';
  const winter = '2025-01-09T10:00:00-05:00';
  it.each([
    ['long-date', summer, 'Published July 3, 2025'],
    ['long-date-time', summer, 'Published July 3, 2025 9:41 PM EDT'],
    ['long-date-time', winter, 'Published January 9, 2025 10:00 AM EST'],
    ['iso-8601', summer, 'Published 2025-07-03T21:41:00-04:00'],
    ['rfc-gmt', summer, 'Published 4 Jul 2025 01:41 GMT'],
    ['ap-style', summer, 'Published Jul. 3, 2025 at 9:41 p.m. ET'],
  ] as const)('%s writes %s as "%s"', (style, iso, expected) => {
    expect(formatDate(style, iso, null)).toBe(expected);
  });

  it('writes "Updated … | Published …" with the later date first', () => {
    expect(formatDate('updated-published', winter, '2025-01-10T08:30:00-05:00')).toBe(
      'Updated January 10, 2025 8:30 AM EST | Published January 9, 2025',
    );
  });

  it('leaves "Published" bare when there is no date', () => {
    expect(formatDate('byline-no-date', null, null)).toBe('Published');
  });
});
