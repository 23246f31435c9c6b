// The harness's own pieces: the floor reads and hashes what it says, the Hugo content is valid
// front matter Hugo can build, the flags parse. No timing here.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.ts';
import { project, repo } from '../pipeline/build-changes.ts';
import { makeStory } from './corpus.ts';
import { listFiles, measureWriteFloor, readAndHash, removeEverythingBuilt } from './floor.ts';
import { ensureHugoSite, hugoVersion, storyMarkdown, timeHugo } from './hugo.ts';
import { parseFlags, whereItWent } from './run.ts';

const temp = tempDir('bench-harness-');

describe('floor', () => {
  it('reads every file under the folder, nested ones included, and hashes their bytes', () => {
    const dir = join(temp, 'floor');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    writeFileSync(join(dir, 'a.txt'), 'alpha');
    writeFileSync(join(dir, 'nested', 'b.txt'), 'bravo!');
    const result = readAndHash(dir);
    expect(result.files).toBe(2);
    expect(result.bytes).toBe(11);
    const expected = createHash('sha256')
      .update(createHash('sha256').update('alpha').digest())
      .update(createHash('sha256').update('bravo!').digest())
      .digest('hex');
    expect(result.digest).toBe(expected);
    expect(listFiles(dir).map((p) => p.slice(dir.length + 1))).toEqual(['a.txt', 'nested/b.txt']);
  });

  it('the write floor writes every file of out/ again and leaves no copy behind', () => {
    const out = join(temp, 'out');
    mkdirSync(join(out, 'articles', 'x'), { recursive: true });
    writeFileSync(join(out, 'rss.xml'), '<rss/>');
    writeFileSync(join(out, 'articles', 'x', 'index.html'), '<p>x</p>');
    const scratch = join(temp, 'out-write-floor');
    const result = measureWriteFloor(out, scratch);
    expect(result.files).toBe(2);
    expect(result.bytes).toBe(14);
    expect(readdirSync(temp)).not.toContain('out-write-floor');
  });
});

describe('from nothing', () => {
  it('leaves nothing a build could reuse: the next `broadsheet build` renders every file', () => {
    const dir = project();
    const build = () => {
      const run = spawnSync(process.execPath, [join(repo, 'src/cli/bin.js'), 'build', '--quiet', '--json'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { written: { rendered: number; unchanged: number } }).written;
    };
    const first = build();
    expect(first.rendered).toBeGreaterThan(50);
    // out/, the state and the cache removed, the build folders beside out/ kept: their files and
    // render keys are reused, and nothing is rendered again (what the bench's "from nothing" was).
    for (const path of ['out', 'state', '.broadsheet'])
      rmSync(join(dir, path), { recursive: true, force: true });
    expect(build().rendered).toBe(0);
    removeEverythingBuilt(dir);
    expect(build().rendered).toBe(first.rendered);
  });
});

describe('hugo content', () => {
  it('writes front matter a YAML parser reads back, hostile titles included', () => {
    const story = {
      ...makeStory({ articles: 10, seed: 1 }, 3),
      title: 'Quotes "x" & <b> ]]> — Ünïcode: yes',
    };
    const parsed = matter(storyMarkdown(story));
    expect(parsed.data.title).toBe(story.title);
    expect(parsed.data.authors).toEqual(story.authors);
    expect(parsed.content).toContain(story.body[0]);
  });

  it.skipIf(hugoVersion() === null)('builds with hugo into one page per story and an RSS feed', () => {
    const site = ensureHugoSite(temp, { articles: 12, seed: 4 }, () => {});
    const result = timeHugo(site, 'test');
    expect(result.seconds).toBeGreaterThan(0);
    expect(readdirSync(join(site, 'public', 'posts')).filter((n) => n.startsWith('story-')).length).toBe(12);
    const rss = readFileSync(join(site, 'public', 'index.xml'), 'utf8');
    expect(rss.match(/<item>/g)?.length).toBe(12);
  });
});

describe('flags', () => {
  it('reads sizes (with a k suffix), --skip-hugo, --json and --profile', () => {
    expect(parseFlags(['--sizes', '1000,10k', '--skip-hugo', '--json'])).toEqual({
      sizes: [1000, 10_000],
      skipHugo: true,
      json: true,
      profile: false,
      tableFrom: [],
      corpora: ['standard'],
      stagesOnly: false,
      lookups: false,
      skipWrite: false,
      threads: null,
    });
    expect(parseFlags([]).sizes).toEqual([1000, 10_000, 100_000]);
  });

  it('reads --threads as build.threads for the bench config, and refuses anything but a whole number', () => {
    expect(parseFlags(['--threads', '1']).threads).toBe(1);
    expect(parseFlags(['--threads', '0']).threads).toBe(0);
    expect(() => parseFlags(['--threads', 'two'])).toThrow(/got "two"/);
  });

  it('reads --corpus shapes and --stages-only, and refuses an unknown shape by name', () => {
    const flags = parseFlags(['--corpus', 'scores,crowd', '--stages-only']);
    expect(flags.corpora).toEqual(['scores', 'crowd']);
    expect(flags.stagesOnly).toBe(true);
    expect(() => parseFlags(['--corpus', 'sports'])).toThrow(/got "sports"/);
  });

  it('refuses unknown flags and bad sizes with a message naming them', () => {
    expect(() => parseFlags(['--size', '10'])).toThrow(/unknown flag --size/);
    expect(() => parseFlags(['--sizes', 'ten'])).toThrow(/got "ten"/);
  });
});

describe("a target's split of a build process's time", () => {
  it('gives the stages its --json timed, and the rest of the wall time as the start', () => {
    const stages = { total: 5, read: 1, dedupe: 0.5, site: 2.25, newsletter: 0.25, write: 1 };
    expect(whereItWent({ seconds: 6, cpuSeconds: 7, exitCode: 0, stages })).toBe(
      '; where: start 1.00, read 1.00, dedupe 0.50, site 2.25, newsletter 0.25, write 1.00 s',
    );
  });

  it('calls a run that timed no stage a replay, and says nothing without a --json summary', () => {
    const stages = { total: 0.3, read: 0, dedupe: 0, site: 0, newsletter: 0, write: 0 };
    expect(whereItWent({ seconds: 0.5, exitCode: 0, stages })).toBe('; where: start 0.20, replay 0.30 s');
    expect(whereItWent({ seconds: 0.5, exitCode: 0 })).toBe('');
    expect(whereItWent(undefined)).toBe('');
  });
});
