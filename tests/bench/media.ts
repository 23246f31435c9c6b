/**
 * What a publication's pictures and episodes cost a build: `node --import tsx tests/bench/media.ts
 * [--episodes 40,160] [--megabytes 64] [--pictures 2000,8000] [--kilobytes 300]`. Per count, a
 * fresh project of that many stories, each naming one episode (or one picture: a PNG header
 * before the bytes) of that size (random bytes: hashing and copying real data, not zeros); then
 * a build from nothing and three one-edit builds (a line appended to one story), each a new
 * process. Prints each build's wall time, its site stage (where media are hashed and pictures
 * measured) and write stage (where they are copied), its peak RSS and the bytes it read (the
 * kernel's count). Flat one-edit times across counts are the goal: an unchanged file is neither
 * read (its digest and a picture's size are kept by stamp in the cache file) nor copied (the
 * live build holds it under the same key).
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const BIN = resolve(import.meta.dirname, '../../src/cli/bin.js');
const EPOCH = '1795550400';
const MiB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    episodes: { type: 'string', default: '40,160' },
    megabytes: { type: 'string', default: '64' },
    pictures: { type: 'string', default: '' },
    kilobytes: { type: 'string', default: '300' },
  },
});
const counts = (list: string | undefined) => (list ? list.split(',').map(Number) : []);
const episodes = counts(values.episodes);
const pictures = counts(values.pictures);
const megabytes = Number(values.megabytes);
const kilobytes = Number(values.kilobytes);
if (
  [...episodes, ...pictures].some((n) => !Number.isSafeInteger(n) || n < 1) ||
  !(megabytes > 0) ||
  !(kilobytes > 0)
)
  throw new Error(
    '--episodes N,N and --pictures N,N (whole numbers), --megabytes M and --kilobytes K (positive) expected',
  );

/** One kind of media file: how a story names it, and the bytes it starts with. */
interface MediaKind {
  noun: string;
  bytes: number;
  file(i: number): string;
  frontMatter(file: string, i: number): string;
  header(i: number): Buffer;
}

const EPISODES: MediaKind = {
  noun: 'episodes',
  bytes: megabytes * MiB,
  file: (i) => `ep${i}.mp3`,
  frontMatter: (file) => `enclosure:\n  file: ${file}\n  type: audio/mpeg\n`,
  header: () => Buffer.from('ID3'),
};

const PICTURES: MediaKind = {
  noun: 'pictures',
  bytes: kilobytes * 1024,
  file: (i) => `picture${i}.png`,
  frontMatter: (file, i) => `image: ${file}\nimage_alt: Picture ${i}\n`,
  // A PNG signature and header: each picture a size of its own, as image-size reads it.
  header: (i) => {
    const header = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
    header.writeUInt32BE(13, 8);
    header.write('IHDR', 12, 'ascii');
    header.writeUInt32BE(800 + i, 16);
    header.writeUInt32BE(600, 20);
    header.set([8, 6, 0, 0, 0], 24);
    return header;
  },
};

/** A project of `count` stories, each naming one file of `kind`, of random bytes after its header. */
function publication(kind: MediaKind, count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'bs-bench-media-'));
  mkdirSync(join(dir, 'articles'));
  const chunk = Buffer.alloc(Math.min(MiB, kind.bytes));
  for (let i = 1; i <= count; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const file = kind.file(i);
    writeFileSync(
      join(dir, 'articles', `story${i}.md`),
      `---\ntitle: Story ${i} of the water plan\ndate: 2026-11-${day}\n${kind.frontMatter(file, i)}---\n\nThis week, part ${i}.\n`,
    );
    const fd = openSync(join(dir, 'articles', file), 'w');
    const header = kind.header(i);
    writeSync(fd, header);
    for (let written = header.length; written < kind.bytes; written += chunk.length)
      writeSync(fd, randomFillSync(chunk), 0, Math.min(chunk.length, kind.bytes - written));
    closeSync(fd);
  }
  // The build's peak memory and bytes read as the kernel counts them, written when it ends.
  writeFileSync(
    join(dir, 'peak.cjs'),
    [
      "const fs = require('node:fs');",
      "process.on('exit', () => fs.writeFileSync(__dirname + '/peak.txt', JSON.stringify({",
      '  maxRSS: process.resourceUsage().maxRSS,',
      "  rchar: Number(/^rchar: (\\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'))?.[1] ?? NaN),",
      '})));',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'broadsheet.config.json'),
    JSON.stringify({ site: { title: 'Bench', baseUrl: 'https://bench.example/' } }),
  );
  return dir;
}

interface Timed {
  wall: number;
  site: number;
  write: number;
  peakMiB: number;
  readMiB: number;
}

function timedBuild(dir: string): Timed {
  const peakFile = join(dir, 'peak.txt');
  const started = performance.now();
  const child = spawnSync(process.execPath, [BIN, 'build', '--quiet', '--json'], {
    cwd: dir,
    env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH, NODE_OPTIONS: `--require ${join(dir, 'peak.cjs')}` },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const wall = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`build failed (${child.status}): ${child.stderr}`);
  const { seconds } = JSON.parse(child.stdout) as { seconds: { site: number; write: number } };
  const { maxRSS, rchar } = JSON.parse(readFileSync(peakFile, 'utf8')) as { maxRSS: number; rchar: number };
  return { wall, site: seconds.site, write: seconds.write, peakMiB: maxRSS / 1024, readMiB: rchar / MiB };
}

const line = (label: string, t: Timed) =>
  `${label.padEnd(28)} ${t.wall.toFixed(2).padStart(7)} s   site ${t.site.toFixed(2).padStart(6)} s   write ${t.write.toFixed(2).padStart(6)} s   peak ${t.peakMiB.toFixed(0).padStart(5)} MiB   read ${t.readMiB.toFixed(0).padStart(6)} MiB`;

const size = (bytes: number) => (bytes >= MiB ? `${bytes / MiB} MB` : `${bytes / 1024} KB`);

for (const [kind, list] of [
  [EPISODES, episodes],
  [PICTURES, pictures],
] as const) {
  for (const count of list) {
    process.stderr.write(`bench: writing ${count} ${kind.noun} of ${size(kind.bytes)}\n`);
    const dir = publication(kind, count);
    try {
      console.log(
        `${count} ${kind.noun} of ${size(kind.bytes)} (${((count * kind.bytes) / 1024 ** 3).toFixed(1)} GiB of media)`,
      );
      console.log(line('  from nothing', timedBuild(dir)));
      for (let edit = 1; edit <= 3; edit++) {
        appendFileSync(join(dir, 'articles', 'story1.md'), `\nA correction, number ${edit}.\n`);
        console.log(line(`  one edit (${edit})`, timedBuild(dir)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
