import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageText } from '../../src/ingest/index.ts';
import type { RenderJob } from '../../src/pipeline/output.ts';
import { renderPool } from '../../src/pipeline/render-pool.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { normalizeSite, siteOptions } from '../../src/pipeline/site.ts';
import { loadSiteTheme, SiteTemplateFailure } from '../../src/pipeline/theme.ts';
import { planSite, SiteTemplateError } from '../../src/render/index.ts';
import { tempDir } from '../helpers/temp.ts';
import { mountTmpfs } from '../helpers/tmpfs.ts';
import { hostileArticle, sampleArticles } from '../render/fixtures/index.ts';
import { readTree, siteConfig, siteContext, tempProject } from './build-site-helpers.ts';

const NOW = '2026-11-24T15:00:00Z';
const SAMPLES = resolve(import.meta.dirname, '../../articles');

/** The sample site, planned as a build plans it, with a pool of one helper thread. */
function plannedSite(root: string) {
  const ctx = siteContext(root, NOW, siteConfig({ build: { threads: 2 } }));
  const db = ctx.openState();
  const items = normalizeSite(ctx, db, [...sampleArticles(), hostileArticle()]).saveIdentities();
  db.close();
  const site = siteOptions(ctx, loadSiteTheme(ctx));
  const planned = planSite(items, site);
  const helpers = renderPool({ threads: 2, items, site, outputs: planned.length });
  if (!helpers) throw new Error('expected helper threads for a site whose text is in memory');
  return { planned, helpers };
}

/** A counter the test's thread never claims from: the helper renders every job. */
const helperOnly = () => new Int32Array(new SharedArrayBuffer(4));

const sha1 = (bytes: Buffer | string) => createHash('sha1').update(bytes).digest('base64url');

describe('a render helper thread', () => {
  it('writes each file it claims with the bytes, hash and size this thread would render', async () => {
    const root = tempProject();
    const { planned, helpers } = plannedSite(root);
    const first = planned[0];
    if (!first) throw new Error('the sample site plans files');
    // The first file's live copy already holds these bytes: it is hashed, not written.
    const jobs: RenderJob[] = planned.map((output, index) => ({
      index,
      path: output.path,
      liveHash: index === 0 ? sha1(first.render()) : null,
    }));
    const stage = join(root, 'stage');
    try {
      const results = await helpers.start(jobs, stage, helperOnly());
      expect(results.map((r) => r.index).sort((a, b) => a - b)).toEqual(jobs.map((job) => job.index));
      for (const result of results) {
        const output = planned[result.index];
        if (!output) throw new Error(`no output ${result.index}`);
        const bytes = Buffer.from(output.render(), 'utf8');
        expect(result, output.path).toMatchObject({ hash: sha1(bytes), size: bytes.length });
        if (result.index === 0) {
          expect(result.written).toBe(false);
          expect(existsSync(join(stage, output.path))).toBe(false);
        } else {
          expect(result.written, output.path).toBe(true);
          expect(readFileSync(join(stage, output.path)), output.path).toEqual(bytes);
        }
      }
    } finally {
      await helpers.stop();
    }
  });

  it('fails with the template error a page meets, naming the template', async () => {
    const root = tempProject();
    writeBrokenArticleTemplate(root);
    const { planned, helpers } = plannedSite(root);
    const jobs = planned.map((output, index) => ({ index, path: output.path, liveHash: null }));
    try {
      const failed = helpers.start(jobs, join(root, 'stage'), helperOnly());
      await expect(failed).rejects.toBeInstanceOf(SiteTemplateError);
      await expect(failed).rejects.toThrow(/article\.liquid/);
    } finally {
      await helpers.stop();
    }
  });
});

describe('a render helper on a full disk', () => {
  it('fails with ENOSPC, as this thread would: the command says the disk is full, not a stack trace', async () => {
    const disk = tempDir('bs-helper-full-');
    const unmount = mountTmpfs(disk, '64k');
    if (!unmount) return; // Cannot mount here (not root): the CLI's disk-full tests skip alike.
    const { planned, helpers } = plannedSite(tempProject());
    const jobs = planned.map((output, index) => ({ index, path: output.path, liveHash: null }));
    try {
      const failed = helpers.start(jobs, join(disk, 'stage'), helperOnly());
      await expect(failed).rejects.toMatchObject({ code: 'ENOSPC' });
    } finally {
      await helpers.stop();
      unmount();
    }
  });
});

describe('a site whose story text is paged out to the parse cache', () => {
  it('renders in one thread: a copy of the stories for a helper would load all their text', () => {
    const ctx = siteContext(tempProject(), NOW, siteConfig());
    const db = ctx.openState();
    const items = normalizeSite(ctx, db, sampleArticles()).saveIdentities();
    db.close();
    const site = siteOptions(ctx, loadSiteTheme(ctx));
    const options = { threads: 2, site, outputs: 1 };
    expect(renderPool({ ...options, items }), 'text in memory').toBeDefined();
    const [first, ...rest] = items;
    if (!first) throw new Error('the samples make items');
    const paged = pageText(first, () => ({ body: first.body, analysis: first.analysis }));
    expect(renderPool({ ...options, items: [paged, ...rest] })).toBeUndefined();
  });
});

describe('a two-thread build whose templates fail on a page', () => {
  it('fails like a one-thread build: out/ is the previous build, no half-written folder is left', async () => {
    const root = tempProject();
    cpSync(SAMPLES, join(root, 'articles'), { recursive: true });
    const ctx = siteContext(root, NOW, siteConfig({ build: { threads: 2 } }));
    await runPipeline(ctx, { newsletter: false });
    const before = readTree(join(root, 'out'));
    const buildsBefore = readdirSync(join(root, '.out.builds')).sort();
    writeBrokenArticleTemplate(root);
    await expect(runPipeline(ctx, { newsletter: false })).rejects.toBeInstanceOf(SiteTemplateFailure);
    expect(readTree(join(root, 'out'))).toEqual(before);
    expect(readdirSync(join(root, '.out.builds')).sort()).toEqual(buildsBefore);
  });
});

/** A story page that names a variable no view has: it compiles, and fails when a page is filled. */
function writeBrokenArticleTemplate(root: string): void {
  mkdirSync(join(root, 'templates', 'site'), { recursive: true });
  writeFileSync(join(root, 'templates', 'site', 'article.liquid'), '{{ no_such_variable }}\n');
}
