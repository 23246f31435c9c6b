/**
 * What a publication's pictures and episodes cost a build: `node --import tsx tests/bench/media.ts
 * [--episodes 40,160] [--megabytes 64]`. Per count, a fresh project of that many stories, each
 * naming one episode of that size (random bytes: hashing and copying real data, not zeros); then
 * a build from nothing and three one-edit builds (a line appended to one story), each a new
 * process. Prints each build's wall time, its site stage (where media are hashed) and write
 * stage (where they are copied), and its peak RSS. Flat one-edit times across counts are the goal:
 * an unchanged episode is neither hashed (its digest is kept by stamp in the cache file) nor
 * copied (the live build holds it under the same key).
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
  options: { episodes: { type: 'string', default: '40,160' }, megabytes: { type: 'string', default: '64' } },
});
const counts = (values.episodes ?? '').split(',').map(Number);
const megabytes = Number(values.megabytes);
if (counts.some((n) => !Number.isSafeInteger(n) || n < 1) || !(megabytes > 0))
  throw new Error('--episodes N,N (whole numbers) and --megabytes M (positive) expected');

/** A project of `count` stories, each naming an episode of `megabytes` random bytes. */
function podcast(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'bs-bench-media-'));
  mkdirSync(join(dir, 'articles'));
  const chunk = Buffer.alloc(MiB);
  for (let i = 1; i <= count; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    writeFileSync(
      join(dir, 'articles', `ep${i}.md`),
      `---\ntitle: Episode ${i} of the water plan\ndate: 2026-11-${day}\nenclosure:\n  file: ep${i}.mp3\n  type: audio/mpeg\n---\n\nThis week, part ${i}.\n`,
    );
    const fd = openSync(join(dir, 'articles', `ep${i}.mp3`), 'w');
    for (let written = 0; written < megabytes * MiB; written += MiB) writeSync(fd, randomFillSync(chunk));
    closeSync(fd);
  }
  // The build's peak memory as the kernel counts it, written when the process ends.
  writeFileSync(
    join(dir, 'peak.cjs'),
    "process.on('exit', () => require('node:fs').writeFileSync(__dirname + '/peak.txt', String(process.resourceUsage().maxRSS)));\n",
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
  const peakKiB = Number(readFileSync(peakFile, 'utf8'));
  return { wall, site: seconds.site, write: seconds.write, peakMiB: peakKiB / 1024 };
}

const line = (label: string, t: Timed) =>
  `${label.padEnd(28)} ${t.wall.toFixed(2).padStart(7)} s   site ${t.site.toFixed(2).padStart(6)} s   write ${t.write.toFixed(2).padStart(6)} s   peak ${t.peakMiB.toFixed(0).padStart(5)} MiB`;

for (const count of counts) {
  process.stderr.write(`bench: writing ${count} episodes of ${megabytes} MB\n`);
  const dir = podcast(count);
  try {
    console.log(
      `${count} episodes of ${megabytes} MB (${((count * megabytes) / 1024).toFixed(1)} GiB of media)`,
    );
    console.log(line('  from nothing', timedBuild(dir)));
    for (let edit = 1; edit <= 3; edit++) {
      appendFileSync(join(dir, 'articles', 'ep1.md'), `\nA correction, number ${edit}.\n`);
      console.log(line(`  one edit (${edit})`, timedBuild(dir)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
