/**
 * What keeping the build's state in PostgreSQL costs: `node --import tsx tests/bench/build-postgres.ts
 * [--articles 1000,10000]`. Per size, on a throwaway cluster (tests/helpers/postgres.ts):
 *  1. a cold build with BROADSHEET_DATABASE_URL (pull of an empty database, push of every story);
 *  2. a build in a fresh checkout (no state, no cache: a CI runner) with one story edited: pull
 *     of every story, push of one;
 *  3. the same fresh-checkout build without the variable (SQLite), for reference.
 * Prints the pull and push times the build logs, the whole build's time, and PostgreSQL's bytes
 * per story (item_identities with its indexes and TOAST).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freshDatabase } from '../helpers/postgres.ts';
import { ensureCorpus } from './corpus.ts';

const BIN = resolve(import.meta.dirname, '../../src/cli/bin.js');
const EPOCH = '1795550400';

function checkout(articles: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bs-bench-pg-build-'));
  cpSync(articles, join(dir, 'articles'), { recursive: true });
  writeFileSync(
    join(dir, 'broadsheet.config.json'),
    JSON.stringify({ site: { title: 'Bench', baseUrl: 'https://bench.example/' } }),
  );
  return dir;
}

interface Run {
  total: number;
  /** Seconds the build logged for its pull and its push (null on SQLite). */
  pull: number | null;
  push: number | null;
}

/** One `build` in `dir` (with BROADSHEET_DATABASE_URL when `url`), timed from outside. */
function timedBuild(dir: string, url: string | null): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, SOURCE_DATE_EPOCH: EPOCH };
  if (url) env.BROADSHEET_DATABASE_URL = url;
  else delete env.BROADSHEET_DATABASE_URL;
  const started = performance.now();
  const child = spawnSync(process.execPath, [BIN, 'build', '--no-newsletter'], {
    cwd: dir,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const total = (performance.now() - started) / 1000;
  if (child.status !== 0 && child.status !== 1) throw new Error(`build failed: ${child.stderr}`);
  const seconds = (pattern: RegExp) => {
    const found = pattern.exec(child.stderr);
    return found ? Number(found[1]) : null;
  };
  return {
    total,
    pull: seconds(/from PostgreSQL in ([\d.]+) s/),
    push: seconds(/to PostgreSQL in ([\d.]+) s/),
  };
}

async function bytesPerStory(url: string): Promise<{ stories: number; bytes: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const row = (
      await client.query(
        `SELECT count(*)::int AS n, pg_total_relation_size('item_identities')::bigint AS bytes FROM item_identities`,
      )
    ).rows[0] as { n: number; bytes: string };
    return { stories: row.n, bytes: Number(row.bytes) };
  } finally {
    await client.end();
  }
}

const { values } = parseArgs({ options: { articles: { type: 'string', default: '1000,10000' } } });
const lines: string[] = [];
for (const size of (values.articles ?? '1000').split(',').map(Number)) {
  const corpus = ensureCorpus(resolve(import.meta.dirname, '../../.bench'), { articles: size, seed: 1 });
  const url = await freshDatabase(`bench_build_${size}`);
  const first = checkout(corpus.articlesDir);
  const cold = timedBuild(first, url);
  const again = checkout(corpus.articlesDir);
  const [name] = readdirSync(join(again, 'articles')).sort();
  appendFileSync(join(again, 'articles', name as string), '\nOne more line, edited on the runner.\n');
  const fresh = timedBuild(again, url);
  const plain = checkout(corpus.articlesDir);
  const sqlite = timedBuild(plain, null);
  const { stories, bytes } = await bytesPerStory(url);
  lines.push(
    `${size} articles → ${stories} stories: cold build ${cold.total.toFixed(2)} s (pull ${cold.pull} s, push ${cold.push} s); ` +
      `fresh checkout, one edit ${fresh.total.toFixed(2)} s (pull ${fresh.pull} s, push ${fresh.push} s); ` +
      `same on SQLite ${sqlite.total.toFixed(2)} s; PostgreSQL item_identities ${(bytes / stories).toFixed(0)} bytes/story (${(bytes / 1e6).toFixed(1)} MB)`,
  );
  process.stdout.write(`${lines.at(-1)}\n`);
  for (const dir of [first, again, plain]) rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
