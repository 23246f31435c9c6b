import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeEach, describe, expect, it } from 'vitest';
import { displayPath } from '../../src/pipeline/inputs.ts';
import { buildNewsletter } from '../../src/pipeline/newsletter.ts';
import { getEdition } from '../../src/state/editions.ts';
import type { OutputFile } from '../../src/types.ts';
import { tempDir } from '../helpers/temp.ts';
import { makeContext, makeItem, makeItems, testConfig } from '../newsletter/helpers.ts';

let root: string;
beforeEach(() => {
  root = tempDir('broadsheet-newsletter-');
});

async function build(now: string, items = makeItems(6), options = {}, config = testConfig()) {
  const ctx = makeContext(root, now, config);
  const db = ctx.openState();
  try {
    const result = await buildNewsletter(ctx, db, items, options);
    // Recorded editions are planned outputs read from the state: render them while it is open.
    const files: OutputFile[] = result.files.map((file) =>
      'render' in file ? { path: file.path, contents: file.render() } : file,
    );
    return { ...result, files };
  } finally {
    db.close();
  }
}

const byPath = (files: OutputFile[]) => new Map(files.map((f) => [f.path, String(f.contents)]));

describe('buildNewsletter (CLI step, real SQLite file)', () => {
  it('builds the first edition from the last 7 days and writes email, text, web view and archive', async () => {
    const result = await build('2026-11-24T08:00:00-05:00');
    expect(result.diagnostics).toEqual([]);
    expect(result.edition?.id).toBe('2026-11-24');
    expect(result.message).toMatch(/^newsletter: edition 2026-11-24: 6 stories from 2026-11-17 08:00/);
    const files = byPath(result.files);
    expect([...files.keys()].sort()).toEqual([
      'newsletter/2026-11-24/email.html',
      'newsletter/2026-11-24/email.txt',
      'newsletter/2026-11-24/index.html',
      'newsletter/feed.xml',
      'newsletter/index.html',
    ]);
    expect(files.get('newsletter/2026-11-24/email.html')).toContain('%%UNSUBSCRIBE_URL%%');
    expect(files.get('newsletter/2026-11-24/index.html')).not.toContain('%%');
    expect(files.get('newsletter/index.html')).toContain(
      'href="https://news.example.com/newsletter/2026-11-24/"',
    );
  });

  it('rebuilding with the same state gives byte-identical files and no new edition', async () => {
    const first = await build('2026-11-24T08:00:00-05:00');
    const again = await build('2026-11-24T08:00:00-05:00');
    expect(again.edition).toBeNull();
    expect(again.message).toMatch(
      /^newsletter: no edition built: no new stories since 2026-11-24 08:00 EST; every story is in an edition already: add new articles, then build again$/,
    );
    expect(byPath(again.files)).toEqual(byPath(first.files));
  });

  it('starts the next edition where the last ended, suffixes a second one on the same day, and archives both', async () => {
    await build('2026-11-24T08:00:00-05:00');
    const late = makeItem({ title: 'Afternoon story', published: '2026-11-24T13:00:00-05:00' });
    const second = await build('2026-11-24T18:00:00-05:00', [...makeItems(6), late]);
    expect(second.edition?.id).toBe('2026-11-24-2');
    expect(second.edition?.lead.title).toBe('Afternoon story');
    expect(second.edition?.sections).toEqual([]);
    const files = byPath(second.files);
    expect(files.has('newsletter/2026-11-24/email.html')).toBe(true);
    expect(files.has('newsletter/2026-11-24-2/email.html')).toBe(true);
    const feed = new XMLParser().parse(files.get('newsletter/feed.xml') ?? '');
    expect(feed.feed.entry.map((e: { id: string }) => e.id)).toEqual([
      'https://news.example.com/newsletter/2026-11-24-2/',
      'https://news.example.com/newsletter/2026-11-24/',
    ]);
  });

  it('says the first since-last edition covers 7 days when it finds nothing', async () => {
    const result = await build('2026-11-24T08:00:00-05:00', []);
    expect(result.message).toBe(
      'newsletter: no edition built: no new stories in the last 7 days, which the first edition covers; ' +
        'there are no stories yet: add articles, then build again',
    );
  });

  it('names the newest story outside the window and the --since that would take it in', async () => {
    const old = makeItem({ title: 'A story from last month', published: '2026-10-20T09:30:00-04:00' });
    const result = await build('2026-11-24T08:00:00-05:00', [old]);
    expect(result.edition).toBeNull();
    expect(result.message).toBe(
      'newsletter: no edition built: no new stories in the last 7 days, which the first edition covers; ' +
        'the newest story not in an edition, ' +
        '"A story from last month", is dated 2026-10-20; to include it: broadsheet build --since 2026-10-20 ' +
        '(or a wider --period, e.g. weekly)',
    );
    const widened = await build('2026-11-24T08:00:00-05:00', [old], { since: '2026-10-20' });
    expect(widened.edition?.lead.title).toBe('A story from last month');
  });

  it('says clearly when there is nothing new, and builds no edition', async () => {
    const result = await build('2026-11-24T08:00:00-05:00', [], { period: 'daily' });
    expect(result.edition).toBeNull();
    expect(result.message).toBe(
      'newsletter: no edition built: no new stories from 2026-11-23 00:00 EST to 2026-11-24 00:00 EST; ' +
        'there are no stories yet: add articles, then build again',
    );
    expect(result.diagnostics).toEqual([]);
    expect(byPath(result.files).get('newsletter/index.html')).toContain('No editions yet.');
  });

  it('builds a daily edition once; a later rebuild in the same day keeps the recorded one', async () => {
    const items = makeItems(4, '2026-11-23T20:00:00-05:00');
    const first = await build('2026-11-24T06:00:00-05:00', items, { period: 'daily' });
    expect(first.edition?.id).toBe('2026-11-23');
    const later = await build(
      '2026-11-24T21:00:00-05:00',
      [...items, makeItem({ published: '2026-11-23T22:00:00-05:00' })],
      {
        period: 'daily',
      },
    );
    expect(later.message).toMatch(/edition 2026-11-23 .* already built; kept as recorded/);
    expect(byPath(later.files)).toEqual(byPath(first.files));
  });

  it('builds a weekly edition with an ISO-week id, and honours --since', async () => {
    const weekly = await build('2026-11-24T08:00:00-05:00', makeItems(10, '2026-11-22T20:00:00-05:00'), {
      period: 'weekly',
    });
    expect(weekly.edition?.id).toBe('2026-W47');
    // Other stories than the weekly's (makeItems reuses ids): a story never goes out twice.
    const later = makeItems(10, '2026-11-24T07:00:00-05:00').map((item) => ({
      ...item,
      id: `${item.id}-later`,
    }));
    const since = await build('2026-11-24T08:00:00-05:00', later, { since: '2026-11-24' });
    expect(since.edition?.id).toBe('2026-11-24');
    expect(since.message).toContain('8 stories');
  });

  it('reports a bad --since or --period as a diagnostic and still emits the archive', async () => {
    const bad = await build('2026-11-24T08:00:00-05:00', makeItems(3), { since: 'yesterday-ish' });
    expect(bad.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'newsletter/since' }),
    ]);
    expect(byPath(bad.files).has('newsletter/index.html')).toBe(true);
    const period = await build('2026-11-24T08:00:00-05:00', makeItems(3), { period: 'monthly' });
    expect(period.diagnostics[0]?.message).toContain('"monthly"');
  });

  it('reads the publisher’s templates, falls back to the bundled ones, and reports template errors by file and line', async () => {
    mkdirSync(join(root, 'templates', 'email'), { recursive: true });
    writeFileSync(
      join(root, 'templates', 'email', 'footer.mjml'),
      '<mj-section>\n  <mj-column>\n    <mj-text bogus="1">x</mj-text>\n  </mj-column>\n</mj-section>\n',
    );
    const result = await build('2026-11-24T08:00:00-05:00');
    expect(result.edition).toBeNull();
    expect(result.message).toContain('fix the template errors');
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'newsletter/template',
        message: 'mj-text: Attribute bogus is illegal',
        // Shown as every diagnostic shows a path: relative to where the command ran.
        file: displayPath(join(root, 'templates', 'email', 'footer.mjml')),
        line: 3,
      },
    ]);
    const ctx = makeContext(root, '2026-11-24T08:00:00-05:00');
    const db = ctx.openState();
    expect(getEdition(db, 'latest')).toBeNull();
    db.close();
  });
});
