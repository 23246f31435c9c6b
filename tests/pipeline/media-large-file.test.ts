import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyUnlessSame } from '../../src/pipeline/output-file.ts';
import { tempDir } from '../helpers/temp.ts';

/**
 * A podcast episode is often larger than everything else the build holds: media files are
 * hashed and copied a chunk at a time, never read whole. (They were: a 256 MiB episode added
 * 256 MiB to the build's peak memory every build, and a file past 2 GiB could not be read at all.)
 */
const repo = resolve(import.meta.dirname, '../..');
const bin = resolve(repo, 'src/cli/bin.js');
const MiB = 1024 * 1024;
const EPISODE_BYTES = 256 * MiB;

/** A project with one story whose enclosure is `episode.mp3` of `bytes` bytes (sparse, marked at both ends). */
function project(bytes: number): string {
  const dir = tempDir('bs-media-large-');
  mkdirSync(join(dir, 'articles'));
  writeFileSync(
    join(dir, 'articles', '2026-11-21-episode.md'),
    [
      '---',
      'title: "The water plan, episode 12"',
      'date: 2026-11-21',
      'enclosure:',
      '  file: episode.mp3',
      '  type: audio/mpeg',
      '---',
      '',
      'This week we talk about the water plan.',
      '',
    ].join('\n'),
  );
  const episode = join(dir, 'articles', 'episode.mp3');
  writeFileSync(episode, 'ID3 start of the episode');
  truncateSync(episode, bytes);
  const fd = openSync(episode, 'r+');
  writeSync(fd, Buffer.from('end of the episode'), 0, 18, bytes - 18);
  closeSync(fd);
  // The build's peak memory, as the kernel counts it, written when the process ends.
  writeFileSync(
    join(dir, 'peak.cjs'),
    "process.on('exit', () => require('node:fs').writeFileSync(__dirname + '/peak.txt', String(process.resourceUsage().maxRSS)));\n",
  );
  return dir;
}

function build(dir: string) {
  const run = spawnSync(process.execPath, [bin, 'build', '--quiet'], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      SOURCE_DATE_EPOCH: '1795521600',
      NODE_OPTIONS: `--require ${join(dir, 'peak.cjs')}`,
    },
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return { peakKiB: Number(readFileSync(join(dir, 'peak.txt'), 'utf8')) };
}

function publishedEpisode(dir: string): string {
  const name = readdirSync(join(dir, 'out', 'media')).find((file) => file.startsWith('episode-'));
  expect(name).toMatch(/^episode-[0-9a-f]{12}\.mp3$/);
  return join(dir, 'out', 'media', name as string);
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('a large media file', () => {
  it('is copied byte for byte without being held in memory, and its length is in the feed', () => {
    const small = project(64 * 1024);
    const large = project(EPISODE_BYTES);
    const smallPeak = build(small).peakKiB;
    const largePeak = build(large).peakKiB;
    // Read whole, the episode alone would add 256 MiB; copied in 1 MiB chunks it adds next to nothing.
    expect((largePeak - smallPeak) * 1024).toBeLessThan(64 * MiB);

    const copy = publishedEpisode(large);
    expect(statSync(copy).size).toBe(EPISODE_BYTES);
    expect(sha256(copy)).toBe(sha256(join(large, 'articles', 'episode.mp3')));
    expect(copy).toContain(sha256(copy).slice(0, 12));
    const rss = readFileSync(join(large, 'out', 'rss.xml'), 'utf8');
    expect(rss).toMatch(
      new RegExp(
        `<enclosure length="${EPISODE_BYTES}" type="audio/mpeg" url="[^"]*/media/episode-[0-9a-f]{12}\\.mp3"/>`,
      ),
    );
  });

  it('is not copied again by a build that finds it unchanged, and a changed one gets a new name', () => {
    const dir = project(8 * MiB);
    build(dir);
    const first = publishedEpisode(dir);
    const inode = statSync(first).ino;
    build(dir);
    expect(publishedEpisode(dir)).toBe(first);
    // Carried into the new build as the same file, not copied.
    expect(statSync(first).ino).toBe(inode);

    const fd = openSync(join(dir, 'articles', 'episode.mp3'), 'r+');
    writeSync(fd, Buffer.from('a corrected ending'), 0, 18, 8 * MiB - 18);
    closeSync(fd);
    build(dir);
    const second = publishedEpisode(dir);
    expect(second).not.toBe(first);
    expect(sha256(second)).toBe(sha256(join(dir, 'articles', 'episode.mp3')));
  });

  it('stops the build where a file changed size between being measured and copied', () => {
    const dir = tempDir('bs-media-changed-');
    const source = join(dir, 'episode.mp3');
    writeFileSync(source, 'ID3 an episode, edited after it was measured');
    const measured = { copyFrom: source, hash: 'a'.repeat(64), size: 10 };
    expect(() => copyUnlessSame(measured, null, () => join(dir, 'out', 'episode.mp3'), new Set())).toThrow(
      /episode\.mp3 changed while the build ran \(10 bytes when measured, 44 copied\); build again/,
    );
  });
});
