/**
 * Kills `broadsheet build` with SIGKILL at random moments and checks what a reader of out/ sees:
 * after every kill, out/ is either the previous build or the build that was killed finished
 * (never a mix), the next build repairs everything (no leftovers), and it equals a build of the
 * same input and state into a fresh folder.
 *
 *   node --import tsx tests/bench/kill.ts --articles 10000 --kills 20
 *   node --import tsx tests/bench/kill.ts --articles 2000 --kills 5 --threads 2   # with a render helper
 *
 * The suite runs the same rounds on a small corpus (tests/cli/build-kill.test.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const BIN = resolve(import.meta.dirname, '../../src/cli/bin.js');
const EPOCH = '1795550400';

export interface KillRound {
  /** When the kill was sent, in ms after the build started. */
  delayMs: number;
  /** False when the build had already finished before the kill. */
  killed: boolean;
  /** A build that ended by itself with exit 2 or 3: what it said (null when it succeeded or was killed). */
  failure: string | null;
  /** What out/ held right after the kill. */
  seen: 'previous' | 'next' | 'mixed';
  /**
   * What the builds folder holds after the next build besides `current`, the live build, the
   * spare it keeps (the build the live one replaced, after a small change) and their manifests:
   * nothing, once the next build has cleared what the killed one left.
   */
  leftovers: string[];
  /** Whether a spare build was there when the killed build started (it was being made over). */
  spareBefore: boolean;
  /** The next build's out/ equals a build of the same articles and state into a fresh folder (null: not compared this round). */
  equalsClean: boolean | null;
}

export interface KillOptions {
  /** A folder of article files to build. */
  articles: string;
  kills: number;
  seed?: number;
  /** Compare with a clean build every this many rounds (and after the last); 1 = every round. */
  cleanEvery?: number;
  /** `build.threads` in the project's config (absent: the default). */
  threads?: number;
  log?: (line: string) => void;
}

/** Digest of every file under `dir` (path and bytes), following the `out` link. */
export function treeDigest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (folder: string) => {
    const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else
        hash
          .update(`${relative(dir, path)}\0`)
          .update(readFileSync(path))
          .update('\0');
    }
  };
  if (existsSync(dir)) walk(dir);
  return hash.digest('hex');
}

function writeConfig(dir: string, title: string, threads: number | undefined): void {
  writeFileSync(
    join(dir, 'broadsheet.config.json'),
    JSON.stringify({
      site: { title, baseUrl: 'https://news.example.com/', timeZone: 'America/New_York' },
      ...(threads === undefined ? {} : { build: { threads } }),
    }),
  );
}

function buildSync(dir: string): number {
  const result = spawnSync(process.execPath, [BIN, 'build', '--quiet'], {
    cwd: dir,
    env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH },
    encoding: 'utf8',
  });
  if (result.status !== 0 && result.status !== 1) throw new Error(`build failed: ${result.stderr}`);
  return result.status;
}

/**
 * Starts a build and SIGKILLs it after `delayMs`; resolves with whether it was still running, and
 * what a build that ended by itself said when it did not succeed (it must not fail).
 */
function buildAndKill(dir: string, delayMs: number): Promise<{ killed: boolean; failure: string | null }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'build', '--quiet'], {
      cwd: dir,
      env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let exited = false;
    const timer = setTimeout(() => {
      if (!exited) child.kill('SIGKILL');
    }, delayMs);
    child.on('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      const killed = signal === 'SIGKILL';
      done({ killed, failure: killed || code === 0 || code === 1 ? null : `exit ${code}: ${stderr.trim()}` });
    });
  });
}

const BUILD_ID = /^b[0-9a-z]+$/;

/** The build folders in a builds folder that have their manifest (the live build and the spare). */
function buildFolders(builds: string): string[] {
  const names = new Set(readdirSync(builds));
  return [...names].filter((name) => BUILD_ID.test(name) && names.has(`${name}.manifest.json`));
}

/** Anything but `current`, at most two builds with their manifests, and those manifests. */
function leftoversIn(builds: string): string[] {
  const kept = buildFolders(builds);
  const expected = new Set(['current', ...kept, ...kept.map((id) => `${id}.manifest.json`)]);
  const leftovers = readdirSync(builds).filter((name) => !expected.has(name));
  return kept.length > 2 ? [...leftovers, ...kept.slice(2)] : leftovers;
}

/** A small deterministic generator, so a failing round can be replayed from its seed. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function killRounds(options: KillOptions): Promise<KillRound[]> {
  const log = options.log ?? (() => {});
  const root = mkdtempSync(join(tmpdir(), 'bs-kill-'));
  try {
    return await killRoundsIn(root, options, log);
  } finally {
    // A killed build's tidying process may still be removing folders in it: retried.
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
}

async function killRoundsIn(
  root: string,
  options: KillOptions,
  log: (line: string) => void,
): Promise<KillRound[]> {
  const random = rng(options.seed ?? 1);
  const project = join(root, 'project');
  mkdirSync(project);
  cpSync(options.articles, join(project, 'articles'), { recursive: true });
  writeConfig(project, 'Kill Test A', options.threads);
  const started = performance.now();
  buildSync(project);
  const fullMs = performance.now() - started;
  log(`first build: ${Math.round(fullMs)} ms`);
  const files = readdirSync(join(project, 'articles')).sort();
  const rounds: KillRound[] = [];
  for (let n = 0; n < options.kills; n++) {
    const before = treeDigest(join(project, 'out'));
    // Every third round, every page and feed changes with the title; in the others one story
    // changes, so the replaced build is kept as the spare and the next one makes it over.
    if (n % 3 === 0) writeConfig(project, n % 2 === 0 ? 'Kill Test B' : 'Kill Test A', options.threads);
    const spareBefore = buildFolders(join(project, '.out.builds')).length > 1;
    const file = files[Math.floor(random() * files.length)] as string;
    appendFileSync(join(project, 'articles', file), `\nA line added in round ${n}.\n`);
    // Up to 1.2 times a full build: some kills land after the build finished, as a control.
    const delayMs = Math.round(random() * fullMs * 1.2);
    const { killed, failure } = await buildAndKill(project, delayMs);
    const seenDigest = treeDigest(join(project, 'out'));
    buildSync(project);
    const next = treeDigest(join(project, 'out'));
    const seen = seenDigest === before ? 'previous' : seenDigest === next ? 'next' : 'mixed';
    const leftovers = leftoversIn(join(project, '.out.builds'));
    const checkClean = (n + 1) % (options.cleanEvery ?? 1) === 0 || n === options.kills - 1;
    const clean = join(root, `clean-${n}`);
    let equalsClean: boolean | null = null;
    if (checkClean) {
      mkdirSync(join(clean, '.broadsheet'), { recursive: true });
      cpSync(join(project, 'articles'), join(clean, 'articles'), { recursive: true });
      cpSync(join(project, 'broadsheet.config.json'), join(clean, 'broadsheet.config.json'));
      cpSync(join(project, '.broadsheet/state.db'), join(clean, '.broadsheet/state.db'));
      buildSync(clean);
      equalsClean = treeDigest(join(clean, 'out')) === next;
      rmSync(clean, { recursive: true, force: true });
    }
    const round = { delayMs, killed, failure, seen, leftovers, spareBefore, equalsClean } as const;
    log(`round ${n + 1}: ${JSON.stringify(round)}`);
    rounds.push(round);
  }
  return rounds;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '1000' },
      kills: { type: 'string', default: '20' },
      'clean-every': { type: 'string', default: '5' },
      threads: { type: 'string' },
    },
  });
  const { ensureCorpus } = await import('./corpus.ts');
  const corpus = ensureCorpus(resolve(import.meta.dirname, '../../.bench'), {
    articles: Number(values.articles),
    seed: 1,
  });
  const rounds = await killRounds({
    articles: corpus.articlesDir,
    kills: Number(values.kills),
    cleanEvery: Number(values['clean-every']),
    ...(values.threads === undefined ? {} : { threads: Number(values.threads) }),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const killed = rounds.filter((r) => r.killed);
  const count = (seen: string) => killed.filter((r) => r.seen === seen).length;
  process.stdout.write(
    `\n${values.articles} stories, ${rounds.length} rounds, ${killed.length} killed mid-build: ` +
      `out/ was the previous build ${count('previous')}, the new build ${count('next')}, mixed ${count('mixed')}; ` +
      `next build equal to a clean build ${rounds.filter((r) => r.equalsClean).length}/${rounds.filter((r) => r.equalsClean !== null).length} compared; ` +
      `builds folder clean after ${rounds.filter((r) => r.leftovers.length === 0).length}/${rounds.length}; ` +
      `${rounds.filter((r) => r.spareBefore).length} builds made over a spare\n`,
  );
}
