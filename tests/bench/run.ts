/**
 * `npm run bench`: how fast Broadsheet builds a newsroom's archive, against the floor (just
 * reading and hashing the files) and against a peer (Hugo on the same stories).
 *
 *   npm run bench                                  # 1k, 10k and 100k articles
 *   npm run bench -- --sizes 1000,10000 --skip-hugo
 *   npm run bench -- --sizes 10000 --json          # machine-readable, on stdout
 *   npm run bench -- --sizes 10000 --profile       # CPU profiles of each timed section
 *   npm run bench -- --sizes 1k,10k --threads 1    # builds with `build.threads` 1 (default: the config's)
 *   npm run bench -- --sizes 1k,10k --corpus standard,scores,near-miss,crowd --stages-only
 *                                                  # per-story cost of each stage, per corpus shape
 *   npm run bench -- --many-senders [subscribers]  # 1, 2, 4 senders sharing a PostgreSQL edition
 *   npm run bench -- --sizes 1k,10k,100k --corpus scores --lookups
 *                                                  # the related-title lookup alone, per lookup
 *
 * Each size runs in child processes (one for the builds, one for the stages on their own) so
 * peak memory (maxRSS) belongs to that size alone. Corpora are generated once under .bench/
 * (gitignored) and reused while their parameters match. Progress goes to stderr; the table
 * (or JSON) to stdout. Nothing here asserts a time: it measures and reports PASS/MISS.
 */
import { spawn } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsCurrent } from '../../src/cli/dist-current.js';
import { CORPUS_VARIANTS, type CorpusManifest, type CorpusVariant, ensureCorpus } from './corpus.ts';
import { removeAndSettle } from './floor.ts';
import { ensureHugoSite, type HugoResult, hugoVersion, timeHugo } from './hugo.ts';
import { formatSummary, type ProfileSummary } from './profile.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const BENCH_DIR = join(ROOT, '.bench');
/** 2026-11-24T12:00:00Z: the corpus's stories are all published before it, so none is "future". */
const SOURCE_DATE_EPOCH = '1795521600';
const SEED = 1;
const WORKER_TIMEOUT_MINUTES = Number(process.env.BENCH_TIMEOUT_MINUTES ?? 20);

/** The performance issue's targets (issue 19), judged on what a publisher runs: new processes. */
const TARGETS = {
  /** From nothing, wall: faster than Hugo on the same stories, in the same run. */
  fasterThanHugo: { size: 10_000 },
  /** From nothing, wall, within this many times the read + write floor. */
  fullBuildOverFloor: { size: 10_000, max: 3 },
  bigBuild: { size: 100_000, maxSeconds: 120, maxRssMb: 1024 },
  /** A cron build an hour after one that changed nothing (no story due): replayed. */
  noChangeSeconds: { size: 10_000, max: 0.5 },
  oneEditSeconds: { size: 10_000, max: 1 },
  /** A full build's cost per story at the largest size run, over the smallest (flat is 1). */
  perStoryGrowth: { max: 1.25 },
} as const;

interface Flags {
  sizes: number[];
  skipHugo: boolean;
  json: boolean;
  profile: boolean;
  /** Saved run files (.bench/run-*.json) to show as one table instead of running. */
  tableFrom: string[];
  /** Corpus shapes to run (tests/bench/corpus.ts CORPUS_SHAPES); each at every size. */
  corpora: CorpusVariant[];
  /** Only the stages worker (per-stage cost): no builds, no Hugo, no send bench. */
  stagesOnly: boolean;
  /** Only the related-title lookup, in this process (tests/bench/lookups.ts). */
  lookups: boolean;
  /** The stages worker skips the newsletter and render + write (quicker per-story runs). */
  skipWrite: boolean;
  /** `build.threads` in the bench's config (null: the shipped config's, else the default). */
  threads: number | null;
}

/** A `broadsheet build` process: its wall time, and the seconds by stage its `--json` reported. */
type CliRun = Timed & { exitCode: number | null; stages?: Record<string, number> };

/** What the builds worker measures for one size. */
interface BuildsResult {
  floor: { files: number; bytes: number; seconds: number };
  baselineRssMb: number;
  full: Timed & { exitCode: number | null };
  peakRssMb: number;
  noChange: Timed;
  incremental: Timed & { editedFile: string };
  incrementalCli: CliRun & { peakRssMb?: number };
  /** No change, new processes: the first after the CLI edit, then one more (a replay). */
  noChangeCli?: CliRun;
  noChangeCliAgain?: CliRun;
  /** A cold `broadsheet build` in a process of its own (no parse cache, state or out/). */
  fullCli?: CliRun & { peakRssMb?: number; rendered?: number };
  /** Whether the in-process builds kept the heap small, as `build.lowMemory` makes the CLI do. */
  lowMemory?: boolean;
  /** The same process building again with its memos, as `serve` does on every save. */
  warmFirst?: Timed;
  warmNoChange?: Timed;
  warmIncremental?: Timed & { editedFile: string };
  outputs: { files: number; bytes: number };
  /** The state and parse-cache files after the full build (issue 19: together under the input's size). */
  stored?: { state: number; cache: number };
  /** Writing the finished out/ again with plain writes: the floor of the output side. */
  writeFloor?: { files: number; bytes: number; seconds: number };
  profiles: ProfileSummary[];
}

/** `state + cache (input)` in bytes per story, e.g. `1,290 + 5,170 (4,170)`. */
function storedCell(r: SizeResult): string {
  const stored = r.builds?.stored;
  const input = r.builds?.floor?.bytes;
  if (!stored || input === undefined) return '–';
  const per = (bytes: number) => Math.round(bytes / r.corpus.stories).toLocaleString('en-US');
  return `${per(stored.state)} + ${per(stored.cache)} (${per(input)})`;
}

/** What the stages worker measures for one size: each stage called directly. */
interface StagesResult {
  read: Timed & { files: number; articles: number; errors: number; warnings: number };
  dedupe: Timed & { articles: number; merges: number };
  site: Timed & { items: number; files: number };
  /** normalizeSite alone (identities, dates, topics, related links), the first half of `site`. */
  normalize?: Timed;
  /** Related-title lookup alone, again on the normalized items (its share of `normalize`). */
  related?: Timed & { lookups: number; linked: number };
  /** normalizeSite again with the identities stored: a rebuild's identity matching included. */
  renormalize?: Timed;
  newsletter: Timed & { files: number; message: string };
  write: Timed & { written: number };
  /** From tests/bench/dedupe.ts, on its own planted corpus. */
  dedupeQuality:
    | { note: string }
    | { planted: number; plantedFound: number; falseMerges: number; seconds: number };
  profiles: ProfileSummary[];
}

interface Timed {
  seconds: number | null;
  cpuSeconds?: number | null;
  error?: string;
}

interface SizeResult {
  size: number;
  /** Corpus shape; absent in runs saved before shapes existed (standard). */
  variant?: CorpusVariant;
  corpus: CorpusManifest['stats'] & { reused: boolean };
  builds: Partial<BuildsResult> | null;
  stages: Partial<StagesResult> | null;
  /** Peak RSS of the builds process read from /proc (VmHWM): known even when it was stopped. */
  procPeakRssMb: number | null;
  /** Workers stopped by the time limit or killed by a signal (e.g. out of heap): missing sections say so. */
  stopped: { builds: Ended; stages: Ended };
  hugo: (HugoResult & { ratio: number | null }) | { skipped: string };
  workerNotes: string[];
}

type Ended = 'stopped' | 'crashed' | false;

interface SavedRun {
  machine: string;
  results: SizeResult[];
  send: SendSummary;
  targets: TargetResult[];
}

interface TargetResult {
  target: string;
  status: 'PASS' | 'MISS' | 'n/a';
  detail: string;
}

// ---------------------------------------------------------------------------------------------
// Flags

export function parseFlags(argv: string[]): Flags {
  const flags: Flags = {
    sizes: [1000, 10_000, 100_000],
    skipHugo: false,
    json: false,
    profile: false,
    tableFrom: [],
    corpora: ['standard'],
    stagesOnly: false,
    lookups: false,
    skipWrite: false,
    threads: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--sizes') {
      const value = argv[++i] ?? '';
      const sizes = value.split(',').map((s) => Number(s.trim().replace(/k$/i, '000')));
      if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 10)) {
        throw new Error(
          `--sizes expects comma-separated article counts (≥ 10), e.g. 1000,10000; got "${value}"`,
        );
      }
      flags.sizes = sizes;
    } else if (arg === '--skip-hugo') flags.skipHugo = true;
    else if (arg === '--json') flags.json = true;
    else if (arg === '--profile') flags.profile = true;
    else if (arg === '--table-from') flags.tableFrom = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg === '--stages-only') flags.stagesOnly = true;
    else if (arg === '--lookups') flags.lookups = true;
    else if (arg === '--skip-write') flags.skipWrite = true;
    else if (arg === '--threads') {
      const value = argv[++i] ?? '';
      if (!/^\d+$/.test(value))
        throw new Error(`--threads expects a whole number (0: one per core); got "${value}"`);
      flags.threads = Number(value);
    } else if (arg === '--corpus') {
      const value = argv[++i] ?? '';
      const names = value.split(',').map((name) => name.trim());
      const unknown = names.filter((name) => !(CORPUS_VARIANTS as readonly string[]).includes(name));
      if (names.length === 0 || unknown.length > 0)
        throw new Error(`--corpus expects some of ${CORPUS_VARIANTS.join(',')}; got "${value}"`);
      flags.corpora = names as CorpusVariant[];
    } else
      throw new Error(
        `unknown flag ${arg}; expected --sizes N,N  --corpus ${CORPUS_VARIANTS.join(',')}  --stages-only  ` +
          '--lookups  --skip-write  --skip-hugo  --threads N  --json  --profile  --table-from a.json,b.json',
      );
  }
  return flags;
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Parent: corpora, a work folder per size, the workers, Hugo, the table.

/**
 * A work folder whose articles/ are hard links to the corpus: building in it never touches the
 * corpus, and the incremental edit replaces one link with a new file (the corpus stays intact).
 */
function prepareWorkDir(
  size: number,
  articlesDir: string,
  variant: CorpusVariant,
  threads: number | null,
): string {
  const work = join(BENCH_DIR, variant === 'standard' ? `work-${size}` : `work-${variant}-${size}`);
  removeAndSettle(work);
  const articles = join(work, 'articles');
  mkdirSync(articles, { recursive: true });
  for (const name of readdirSync(articlesDir)) linkSync(join(articlesDir, name), join(articles, name));
  // The project's own config (topics, site) when there is one, so the bench builds what users get.
  const shipped = join(ROOT, 'broadsheet.config.json');
  const base = existsSync(shipped)
    ? (JSON.parse(readFileSync(shipped, 'utf8')) as Record<string, unknown>)
    : {};
  delete base.$schema;
  const build = threads === null ? base.build : { ...(base.build as object | undefined), threads };
  const configFor = (suffix: string) => ({
    ...base,
    ...(build === undefined ? {} : { build }),
    paths: {
      articles: 'articles',
      templates: join(ROOT, 'templates'),
      out: `out${suffix}`,
      state: `state${suffix}/state.db`,
    },
  });
  writeFileSync(join(work, 'broadsheet.config.json'), JSON.stringify(configFor(''), null, 2));
  writeFileSync(join(work, 'stages.config.json'), JSON.stringify(configFor('-stages'), null, 2));
  return work;
}

/** Runs one worker; its `bench:` stderr lines are progress, anything else (diagnostics) is counted. */
function readVmHwmMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function runWorker<T>(
  mode: string,
  work: string,
  size: number,
  profile: boolean,
  variant: CorpusVariant = 'standard',
  skipWrite = false,
): Promise<{ result: T | null; notes: string[]; procPeakRssMb: number | null; stopped: Ended }> {
  const resultFile = join(work, `${mode}.result.json`);
  rmSync(resultFile, { force: true });
  const args = [
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--worker',
    mode,
    work,
    String(size),
    resultFile,
  ];
  if (profile) args.push('--profile');
  if (variant !== 'standard') args.push('--variant', variant);
  if (skipWrite) args.push('--skip-write');
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, args, {
      cwd: work,
      env: { ...process.env, SOURCE_DATE_EPOCH },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const notes: string[] = [];
    let procPeakRssMb: number | null = null;
    let stopped = false;
    // The kernel's high-water mark for the child (Linux): known even if the child is stopped.
    const poll = setInterval(() => {
      procPeakRssMb = readVmHwmMb(child.pid) ?? procPeakRssMb;
    }, 500);
    let otherLines = 0;
    // A crash (e.g. "JavaScript heap out of memory") is told in the last lines.
    const lastLines: string[] = [];
    let buffer = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('bench: ')) process.stderr.write(`${line}\n`);
        else if (line.trim()) {
          otherLines++;
          if (otherLines <= 3) notes.push(`${mode} ${size}: stderr: ${line.slice(0, 300)}`);
          // Native stack frames say nothing to a reader; the FATAL line and GC summary do.
          else if (!/^\s*\d+: 0x|^-+ Native stack trace/.test(line)) lastLines.push(line.slice(0, 300));
          if (lastLines.length > 5) lastLines.shift();
        }
      }
    });
    // A stage that goes quadratic must not hang the bench: report it and move on.
    const timeout = setTimeout(() => {
      notes.push(
        `${mode} ${size}: stopped after ${WORKER_TIMEOUT_MINUTES} min (raise with BENCH_TIMEOUT_MINUTES)`,
      );
      stopped = true;
      child.kill('SIGKILL');
    }, WORKER_TIMEOUT_MINUTES * 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timeout);
      clearInterval(poll);
      if (otherLines > 3 + lastLines.length)
        notes.push(`${mode} ${size}: …${otherLines - 3 - lastLines.length} more stderr lines…`);
      for (const line of lastLines) notes.push(`${mode} ${size}: stderr: ${line}`);
      let result: T | null = null;
      if (existsSync(resultFile)) result = JSON.parse(readFileSync(resultFile, 'utf8')) as T;
      if (code !== 0 && !stopped) {
        notes.push(`${mode} ${size}: worker ${signal ? `killed by ${signal}` : `exited with code ${code}`}`);
      }
      resolveRun({ result, notes, procPeakRssMb, stopped: stopped ? 'stopped' : signal ? 'crashed' : false });
    });
  });
}

async function benchSize(size: number, flags: Flags, variant: CorpusVariant): Promise<SizeResult> {
  progress(`size ${size}: corpus ${variant}`);
  const corpus = ensureCorpus(BENCH_DIR, { articles: size, seed: SEED, variant }, progress);
  progress(
    `size ${size}: ${corpus.reused ? 'reusing' : 'wrote'} ${relative(ROOT, corpus.dir)} ` +
      `(${corpus.manifest.stats.files} files, ${(corpus.manifest.stats.bytes / 1e6).toFixed(1)} MB)`,
  );
  const work = prepareWorkDir(size, corpus.articlesDir, variant, flags.threads);
  const skipped = { result: null, notes: [], procPeakRssMb: null, stopped: false } as const;
  if (!flags.stagesOnly) progress(`size ${size}: full build, no-change rebuild, incremental rebuild`);
  const builds = flags.stagesOnly
    ? skipped
    : await runWorker<BuildsResult>('builds', work, size, flags.profile, variant);
  progress(`size ${size}: stages one by one (${variant})`);
  const stages = await runWorker<StagesResult>('stages', work, size, flags.profile, variant, flags.skipWrite);
  let hugo: SizeResult['hugo'];
  const skipHugo = flags.skipHugo || flags.stagesOnly || variant !== 'standard';
  const version = skipHugo ? null : hugoVersion();
  if (skipHugo)
    hugo = { skipped: variant !== 'standard' ? 'Hugo runs on the standard corpus only' : '--skip-hugo' };
  else if (!version) hugo = { skipped: 'hugo not installed (apt-get install -y hugo)' };
  else {
    try {
      const site = ensureHugoSite(BENCH_DIR, { articles: size, seed: SEED }, progress);
      progress(`size ${size}: hugo --quiet`);
      const timed = timeHugo(site, version);
      const full = builds.result?.full?.seconds ?? null;
      hugo = { ...timed, ratio: full === null ? null : full / timed.seconds };
    } catch (error) {
      hugo = { skipped: `hugo failed: ${(error as Error).message.slice(0, 300)}` };
    }
  }
  return {
    size,
    variant,
    corpus: { ...corpus.manifest.stats, reused: corpus.reused },
    builds: builds.result,
    procPeakRssMb: builds.procPeakRssMb,
    stopped: { builds: builds.stopped, stages: stages.stopped },
    stages: stages.result,
    hugo,
    workerNotes: [...builds.notes, ...stages.notes],
  };
}

interface SendSummary {
  /** The best rate over the sender's configurations (messages per second), or null when skipped. */
  messagesPerSecond: number | null;
  note: string;
  runs: { label: string; perSecond: number; seconds: number; messages: number }[];
  /** Issue 19: Broadsheet's send path against plain nodemailer, same run (tests/bench/send.ts). */
  comparison?: { plainPerSecond: number; ledgerPerSecond: number; ratio: number; rounds: number };
}

/**
 * Delivery's own send-throughput bench (tests/bench/send.ts, owned by the delivery work):
 * the ledger-driven sender through nodemailer to a loopback smtp-server. Skipped with a note
 * when the file is not there (or fails), so the rest of the bench still reports.
 */
async function benchSendThroughput(): Promise<SendSummary> {
  if (!existsSync(join(HERE, 'send.ts'))) {
    return { messagesPerSecond: null, note: 'tests/bench/send.ts not present: skipped', runs: [] };
  }
  try {
    const { benchSend } = await import('./send.ts');
    const result = await benchSend({ messages: 1000, messageKb: 60 });
    const best = Math.max(...result.runs.map((r) => r.perSecond));
    return {
      messagesPerSecond: best,
      note: `${result.messages} messages of ~${result.messageKb} KB, plain nodemailer and Broadsheet in alternating rounds, via tests/bench/send.ts`,
      runs: result.runs,
      comparison: result.comparison,
    };
  } catch (error) {
    return {
      messagesPerSecond: null,
      note: `tests/bench/send.ts failed: ${(error as Error).message.slice(0, 300)}`,
      runs: [],
    };
  }
}

/** Issue 19's delivery target: `send` with the ledger within 10% of plain nodemailer, pooled. */
function sendTarget(send: SendSummary): TargetResult {
  const target = 'send, ledger on, within 10% of plain nodemailer pooled';
  const c = send.comparison;
  if (!c) return { target, status: 'n/a', detail: send.note };
  return status(
    target,
    c.ratio >= 0.9,
    `${c.ledgerPerSecond.toFixed(0)} vs ${c.plainPerSecond.toFixed(0)} msg/s (${(100 * c.ratio).toFixed(0)}%, median of ${c.rounds})`,
  );
}

function evaluateTargets(results: SizeResult[]): TargetResult[] {
  const at = (size: number) =>
    results.find((r) => r.size === size && (r.variant ?? 'standard') === 'standard');
  return [
    fasterThanHugo(at(TARGETS.fasterThanHugo.size)),
    fullOverFloor(at(TARGETS.fullBuildOverFloor.size)),
    ...bigBuild(at(TARGETS.bigBuild.size)),
    newProcessTarget(
      at(TARGETS.noChangeSeconds.size),
      `10k no-change build, new process, an hour after the last < ${TARGETS.noChangeSeconds.max} s`,
      TARGETS.noChangeSeconds.max,
      (b) => b.noChangeCliAgain,
    ),
    newProcessTarget(
      at(TARGETS.oneEditSeconds.size),
      `10k one-edit build, new process < ${TARGETS.oneEditSeconds.max} s`,
      TARGETS.oneEditSeconds.max,
      (b) => b.incrementalCli,
    ),
    perStoryGrowth(results.filter((r) => (r.variant ?? 'standard') === 'standard')),
  ];
}

/** Wall time of the full build a publisher runs first: a new process, from nothing. */
function fromNothing(result: SizeResult | undefined): number | null {
  const run = result?.builds?.fullCli;
  const outputs = result?.builds?.outputs?.files;
  // A build that found earlier build folders renders only what they lack: not from nothing.
  if (run?.rendered !== undefined && outputs !== undefined && run.rendered < 0.99 * outputs) return null;
  return run?.seconds ?? null;
}

function fasterThanHugo(result: SizeResult | undefined): TargetResult {
  const target = '10k full build from nothing faster than Hugo on the same stories (wall, same run)';
  const ours = fromNothing(result);
  if (!result || ours === null) return notRun(target, result);
  if ('skipped' in result.hugo) return { target, status: 'n/a', detail: `Hugo ${result.hugo.skipped}` };
  const hugo = result.hugo.seconds;
  return status(
    target,
    ours < hugo,
    `${ours.toFixed(2)} s vs Hugo ${hugo.toFixed(2)} s (${(ours / hugo).toFixed(2)}×)${whereItWent(result.builds?.fullCli)}`,
  );
}

function fullOverFloor(result: SizeResult | undefined): TargetResult {
  const { max } = TARGETS.fullBuildOverFloor;
  const target = `10k full build from nothing ≤ ${max}× the read + write floor`;
  const ours = fromNothing(result);
  const builds = result?.builds;
  if (ours === null || !builds?.floor || !builds.writeFloor) return notRun(target, result);
  const floor = builds.floor.seconds + builds.writeFloor.seconds;
  return status(
    target,
    ours / floor <= max,
    `${(ours / floor).toFixed(1)}× (${ours.toFixed(2)} s vs ${floor.toFixed(2)} s: read ${builds.floor.seconds.toFixed(2)} + write ${builds.writeFloor.seconds.toFixed(2)})`,
  );
}

function bigBuild(result: SizeResult | undefined): TargetResult[] {
  const { maxSeconds, maxRssMb } = TARGETS.bigBuild;
  const timeTarget = `100k full build from nothing, new process < ${maxSeconds / 60} min`;
  const seconds = fromNothing(result);
  const time =
    seconds !== null
      ? status(
          timeTarget,
          seconds < maxSeconds,
          `${seconds.toFixed(1)} s${whereItWent(result?.builds?.fullCli)}`,
        )
      : notRun(timeTarget, result);
  // Judged on `broadsheet build` in a process of its own; the bench process's own peak (tsx,
  // the harness, the floor) is in the table too.
  const cliRss = seconds === null ? null : (result?.builds?.fullCli?.peakRssMb ?? null);
  const rss = cliRss ?? result?.builds?.peakRssMb ?? null;
  const rssTarget =
    cliRss !== null ? '100k `broadsheet build` peak RSS < 1 GiB' : '100k full build peak RSS < 1 GiB';
  const unfinished = result?.procPeakRssMb ?? null;
  const memory =
    rss !== null
      ? status(rssTarget, rss < maxRssMb, `${rss.toFixed(0)} MiB`)
      : unfinished !== null && unfinished >= maxRssMb
        ? // The build never finished, but it had already passed the limit.
          status(
            rssTarget,
            false,
            `≥ ${unfinished.toFixed(0)} MiB before it ${result?.stopped.builds || 'ended'}`,
          )
        : notRun(rssTarget, result);
  return [time, memory];
}

function newProcessTarget(
  result: SizeResult | undefined,
  target: string,
  max: number,
  pick: (builds: Partial<BuildsResult>) => CliRun | undefined,
): TargetResult {
  const run = result?.builds ? pick(result.builds) : undefined;
  if (run?.seconds === null || run?.seconds === undefined) return notRun(target, result);
  const cpu = run.cpuSeconds != null ? `, ${run.cpuSeconds.toFixed(2)} s CPU` : '';
  return status(target, run.seconds < max, `${run.seconds.toFixed(2)} s wall${cpu}${whereItWent(run)}`);
}

/**
 * Where a build process's wall time went, by the stages its `--json` timed: a MISS then says
 * which stage holds the gap. "start" is the rest: Node starting, loading the code, taking the
 * lock and opening the state.
 */
export function whereItWent(run: CliRun | undefined): string {
  if (!run?.stages || run.seconds === null) return '';
  const { total, ...stages } = run.stages;
  const timed = Object.entries(stages).filter(([, seconds]) => seconds > 0);
  const inside = total ?? timed.reduce((sum, [, seconds]) => sum + seconds, 0);
  // A replay runs no stage: its whole time is its checks of the files it would have read.
  const work = timed.length > 0 ? timed : [['replay', inside] as [string, number]];
  const parts = [
    `start ${Math.max(0, run.seconds - inside).toFixed(2)}`,
    ...work.map(([stage, seconds]) => `${stage} ${seconds.toFixed(2)}`),
  ];
  return `; where: ${parts.join(', ')} s`;
}

/** Cost per story of the first full build (in process) at the largest size over the smallest. */
function perStoryGrowth(results: SizeResult[]): TargetResult {
  const { max } = TARGETS.perStoryGrowth;
  const target = `full build cost per story flat with size (largest ÷ smallest ≤ ${max})`;
  const perStory = results
    .filter((r) => r.builds?.full?.seconds != null)
    .map((r) => ({ size: r.size, us: ((r.builds?.full?.seconds ?? 0) / r.size) * 1e6 }))
    .sort((a, b) => a.size - b.size);
  const first = perStory[0];
  const last = perStory[perStory.length - 1];
  if (!first || !last || first === last)
    return { target, status: 'n/a', detail: 'needs two sizes (see --sizes)' };
  const growth = last.us / first.us;
  return status(
    target,
    growth <= max,
    `${first.us.toFixed(0)} µs at ${first.size} → ${last.us.toFixed(0)} µs at ${last.size} (${growth.toFixed(2)}×)`,
  );
}

function status(target: string, pass: boolean, detail: string): TargetResult {
  return { target, status: pass ? 'PASS' : 'MISS', detail };
}

function notRun(target: string, result: SizeResult | undefined): TargetResult {
  return {
    target,
    status: 'n/a',
    detail: result ? 'build failed (see notes)' : 'size not run (see --sizes)',
  };
}

// ---------------------------------------------------------------------------------------------
// The table

function seconds(value: number | null | undefined, error?: string, stopped: Ended = false): string {
  if (error) return 'error';
  if (value === null || value === undefined) return stopped || '–';
  return `${value.toFixed(value < 10 ? 3 : 1)} s`;
}

function sizeLabel(size: number): string {
  return size % 1000 === 0 ? `${size / 1000}k articles` : `${size} articles`;
}

function columnLabel(r: SizeResult): string {
  const variant = r.variant ?? 'standard';
  return variant === 'standard' ? sizeLabel(r.size) : `${variant} ${sizeLabel(r.size)}`;
}

/** Per-story stage costs, µs per story (stories: distinct stories in the corpus). */
const PER_STORY_STAGES: [string, (s: Partial<StagesResult>) => Timed | undefined][] = [
  ['read + parse', (s) => s.read],
  ['dedupe', (s) => s.dedupe],
  ['normalize (first build)', (s) => s.normalize],
  ['  of it: related lookup', (s) => s.related],
  ['normalize (rebuild: identity matching)', (s) => s.renormalize],
  ['site (normalize + plan outputs)', (s) => s.site],
  ['render + write out/', (s) => s.write],
];

/**
 * Cost per story of each stage, by corpus shape (rows) and size (columns): flat along a row
 * means that stage's per-story work does not grow with the archive.
 */
export function renderPerStoryTable(results: SizeResult[]): string {
  const sizes = [...new Set(results.map((r) => r.size))].sort((a, b) => a - b);
  const variants = [...new Set(results.map((r) => r.variant ?? 'standard'))];
  const header = ['µs per story (wall; CPU in brackets)', ...sizes.map(sizeLabel)];
  const body: string[][] = [];
  for (const variant of variants) {
    for (const [label, pick] of PER_STORY_STAGES) {
      body.push([
        `${variant}: ${label}`,
        ...sizes.map((size) => {
          const r = results.find((x) => x.size === size && (x.variant ?? 'standard') === variant);
          const timed = r?.stages ? pick(r.stages) : undefined;
          if (!r || !timed || timed.seconds === null || timed.seconds === undefined)
            return r?.stopped.stages ? String(r.stopped.stages) : '–';
          const per = (seconds: number) => ((seconds * 1e6) / r.corpus.stories).toFixed(0);
          const cpu =
            timed.cpuSeconds === null || timed.cpuSeconds === undefined ? '' : ` (${per(timed.cpuSeconds)})`;
          return `${per(timed.seconds)}${cpu}`;
        }),
      ]);
    }
  }
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, c) => (c === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}

export function renderTable(
  results: SizeResult[],
  targets: TargetResult[],
  send: SendSummary,
  machine: string,
): string {
  const rows: [string, (r: SizeResult) => string][] = [
    ['corpus: files / article copies', (r) => `${r.corpus.files} / ${r.corpus.articleCopies}`],
    ['corpus: MB', (r) => (r.corpus.bytes / 1e6).toFixed(1)],
    [
      'floor: read + sha256 every file',
      (r) => seconds(r.builds?.floor?.seconds, undefined, r.stopped.builds),
    ],
    [
      'write floor: out/ written again, no rendering',
      (r) => seconds(r.builds?.writeFloor?.seconds, undefined, r.stopped.builds),
    ],
    ['  out/ MB', (r) => (r.builds?.writeFloor ? (r.builds.writeFloor.bytes / 1e6).toFixed(1) : '–')],
    [
      'full build (runBuild, cold state)',
      (r) => seconds(r.builds?.full?.seconds, r.builds?.full?.error, r.stopped.builds),
    ],
    [
      '  CPU time (user + sys)',
      (r) => seconds(r.builds?.full?.cpuSeconds, r.builds?.full?.error, r.stopped.builds),
    ],
    ['  ÷ floor', (r) => ratio(r.builds?.full?.seconds, r.builds?.floor?.seconds)],
    [
      '  ÷ (read floor + write floor)',
      (r) =>
        ratio(
          r.builds?.full?.seconds,
          r.builds?.writeFloor && r.builds.floor
            ? r.builds.floor.seconds + r.builds.writeFloor.seconds
            : undefined,
        ),
    ],
    [
      '  stage: read + parse',
      (r) => seconds(r.stages?.read?.seconds, r.stages?.read?.error, r.stopped.stages),
    ],
    ['  stage: dedupe', (r) => seconds(r.stages?.dedupe?.seconds, r.stages?.dedupe?.error, r.stopped.stages)],
    [
      '  stage: site (normalize, plan outputs)',
      (r) => seconds(r.stages?.site?.seconds, r.stages?.site?.error, r.stopped.stages),
    ],
    [
      '  stage: newsletter edition',
      (r) => seconds(r.stages?.newsletter?.seconds, r.stages?.newsletter?.error, r.stopped.stages),
    ],
    [
      '  stage: render + write out/',
      (r) => seconds(r.stages?.write?.seconds, r.stages?.write?.error, r.stopped.stages),
    ],
    [
      'articles parsed → after dedupe',
      (r) => `${r.stages?.read?.articles ?? '–'} → ${r.stages?.dedupe?.articles ?? '–'}`,
    ],
    [
      '  expected (by construction)',
      (r) => `${r.corpus.articleCopies - r.corpus.withinFileDuplicates} → ${r.corpus.stories}`,
    ],
    ['items / output files', (r) => `${r.stages?.site?.items ?? '–'} / ${r.builds?.outputs?.files ?? '–'}`],
    ['state + parse cache, bytes per story (input: bytes per story)', (r) => storedCell(r)],
    ['dedupe.ts planted dups found / false merges', (r) => dedupeQualityCell(r.stages?.dedupeQuality)],
    [
      'rebuild, nothing changed',
      (r) => seconds(r.builds?.noChange?.seconds, r.builds?.noChange?.error, r.stopped.builds),
    ],
    [
      'incremental rebuild, 1 article edited',
      (r) => seconds(r.builds?.incremental?.seconds, r.builds?.incremental?.error, r.stopped.builds),
    ],
    [
      '  CPU time (user + sys)',
      (r) => seconds(r.builds?.incremental?.cpuSeconds, r.builds?.incremental?.error, r.stopped.builds),
    ],
    [
      '  same, as a new `broadsheet build` process',
      (r) => seconds(r.builds?.incrementalCli?.seconds, r.builds?.incrementalCli?.error, r.stopped.builds),
    ],
    [
      '    CPU time (user + sys)',
      (r) => seconds(r.builds?.incrementalCli?.cpuSeconds, r.builds?.incrementalCli?.error, r.stopped.builds),
    ],
    [
      'new process, nothing changed (first after the edit)',
      (r) => seconds(r.builds?.noChangeCli?.seconds, r.builds?.noChangeCli?.error, r.stopped.builds),
    ],
    [
      '  again an hour on: replays the build that changed nothing',
      (r) =>
        seconds(r.builds?.noChangeCliAgain?.seconds, r.builds?.noChangeCliAgain?.error, r.stopped.builds),
    ],
    [
      '    CPU time (user + sys)',
      (r) =>
        seconds(r.builds?.noChangeCliAgain?.cpuSeconds, r.builds?.noChangeCliAgain?.error, r.stopped.builds),
    ],
    [
      'warm (as `serve`): first build, empty memo',
      (r) => seconds(r.builds?.warmFirst?.seconds, r.builds?.warmFirst?.error, r.stopped.builds),
    ],
    [
      '  then rebuild, nothing changed',
      (r) => seconds(r.builds?.warmNoChange?.seconds, r.builds?.warmNoChange?.error, r.stopped.builds),
    ],
    [
      '  then incremental rebuild, 1 article edited',
      (r) => seconds(r.builds?.warmIncremental?.seconds, r.builds?.warmIncremental?.error, r.stopped.builds),
    ],
    [
      '    CPU time (user + sys)',
      (r) =>
        seconds(r.builds?.warmIncremental?.cpuSeconds, r.builds?.warmIncremental?.error, r.stopped.builds),
    ],
    ['peak RSS, full build in the bench process (MiB)', (r) => peakRssCell(r)],
    [
      'full build, new `broadsheet build` process, from nothing',
      (r) => seconds(r.builds?.fullCli?.seconds, r.builds?.fullCli?.error, r.stopped.builds),
    ],
    [
      '  its peak RSS (MiB)',
      (r) => (r.builds?.fullCli?.peakRssMb === undefined ? '–' : r.builds.fullCli.peakRssMb.toFixed(0)),
    ],
    ['  files it rendered', (r) => String(r.builds?.fullCli?.rendered ?? '–')],
    ['hugo --quiet (same stories)', (r) => ('skipped' in r.hugo ? 'skipped' : seconds(r.hugo.seconds))],
    [
      '  hugo peak RSS (MiB)',
      (r) => ('skipped' in r.hugo || r.hugo.peakRssMb === null ? '–' : r.hugo.peakRssMb.toFixed(0)),
    ],
    [
      '  Broadsheet ÷ Hugo',
      (r) => ('skipped' in r.hugo || r.hugo.ratio === null ? '–' : `${r.hugo.ratio.toFixed(2)}×`),
    ],
  ];
  const header = ['', ...results.map(columnLabel)];
  const body = rows.map(([label, cell]) => [label, ...results.map(cell)]);
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
  const out = [
    machine,
    '',
    line(header),
    `|${widths.map((w, c) => (c === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...body.map(line),
    '',
    'Cost per story of each stage (the stages worker; flat along a row is the goal):',
    '',
    renderPerStoryTable(results),
    '',
    `Send throughput to a loopback SMTP server (${send.note}):`,
    ...(send.runs.length
      ? send.runs.map((r) => `  ${r.label.padEnd(48)} ${r.perSecond.toFixed(0).padStart(6)} msg/s`)
      : ['  –']),
    '',
    'Targets:',
    ...targets.map((t) => `  ${t.status.padEnd(4)}  ${t.target}: ${t.detail}`),
  ];
  const skippedHugo = results.find((r) => 'skipped' in r.hugo);
  if (skippedHugo && 'skipped' in skippedHugo.hugo)
    out.push('', `Hugo: skipped (${skippedHugo.hugo.skipped})`);
  const notes = results.flatMap((r) => [
    ...(r.stages?.read && r.stages.read.articles === 0
      ? [`${r.size}: ingest parsed no articles (stage not landed yet?)`]
      : []),
    ...(r.stages?.read && r.stages.read.errors > 0
      ? [`${r.size}: ingest reported ${r.stages.read.errors} errors`]
      : []),
    ...r.workerNotes,
  ]);
  const errors = results.flatMap((r) =>
    [...Object.entries(r.builds ?? {}), ...Object.entries(r.stages ?? {})].flatMap(([k, v]) =>
      v && typeof v === 'object' && 'error' in v && v.error ? [`${r.size} ${k}: ${v.error}`] : [],
    ),
  );
  if (notes.length || errors.length) out.push('', 'Notes:', ...[...errors, ...notes].map((n) => `  ${n}`));
  return out.join('\n');
}

function peakRssCell(r: SizeResult): string {
  if (r.builds?.peakRssMb !== undefined) return r.builds.peakRssMb.toFixed(0);
  return r.procPeakRssMb === null ? '–' : `≥ ${r.procPeakRssMb.toFixed(0)} (unfinished)`;
}

function dedupeQualityCell(q: StagesResult['dedupeQuality'] | undefined): string {
  if (!q) return '–';
  if ('note' in q) return q.note.startsWith('not run') ? 'not run' : 'n/a';
  return `${q.plantedFound}/${q.planted} / ${q.falseMerges}`;
}

function ratio(a: number | null | undefined, b: number | null | undefined): string {
  return a === null || a === undefined || !b ? '–' : `${(a / b).toFixed(1)}×`;
}

/** The 1-minute load average when the bench started: above the core count, times are inflated. */
const LOAD_AT_START = loadavg()[0] ?? 0;
/** Which code `broadsheet build` runs as a new process: dist/ only while it is current. */
const CLI_FROM_DIST = distIsCurrent();

function machineLine(threads: number | null = null): string {
  const cpu = cpus();
  return (
    `Broadsheet bench (seed ${SEED}) on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ` +
    (threads === null ? '' : `build.threads ${threads}, `) +
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${platform()}; ` +
    `load average ${LOAD_AT_START.toFixed(1)} at start, ${(loadavg()[0] ?? 0).toFixed(1)} at end; ` +
    (CLI_FROM_DIST
      ? 'the CLI rows ran the compiled dist/'
      : 'the CLI rows ran src/ through tsx (dist/ missing or out of date: `npm run build`)')
  );
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--worker') {
    const { runBenchWorker } = await import('./worker.ts');
    await runBenchWorker(argv.slice(1));
    return;
  }
  if (argv[0] === '--many-senders') {
    // Issue 21: 1, 2 and 4 `send` processes sharing one PostgreSQL edition (tests/bench/many-senders.ts).
    const { benchManySenders, formatFleetRuns } = await import('./many-senders.ts');
    process.stdout.write(`${formatFleetRuns(await benchManySenders(Number(argv[1] ?? 4000)))}\n`);
    process.exit();
  }
  const flags = parseFlags(argv);
  if (flags.tableFrom.length > 0) {
    // Re-render saved runs as one table (e.g. a long 100k run beside a fresh 1k/10k run).
    const runs = flags.tableFrom.map((file) => JSON.parse(readFileSync(file, 'utf8')) as SavedRun);
    const bySize = new Map<string, SizeResult>();
    for (const run of runs)
      for (const result of run.results) bySize.set(`${result.variant ?? 'standard'} ${result.size}`, result);
    const results = [...bySize.values()].sort(
      (a, b) =>
        CORPUS_VARIANTS.indexOf(a.variant ?? 'standard') - CORPUS_VARIANTS.indexOf(b.variant ?? 'standard') ||
        a.size - b.size,
    );
    const last = runs[runs.length - 1] as SavedRun;
    const machine = runs.map((run) => run.machine).join('\n');
    const targets = [...evaluateTargets(results), sendTarget(last.send)];
    process.stdout.write(`${renderTable(results, targets, last.send, machine)}\n`);
    return;
  }
  if (flags.lookups) {
    const { benchLookups } = await import('./lookups.ts');
    const rows = [
      '| corpus | stories | lookups | linked | index built (s) | µs per lookup | CPU µs per lookup | slowest lookup (µs) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
    ];
    for (const variant of flags.corpora) {
      for (const size of flags.sizes) {
        progress(`lookups: ${variant} ${size}`);
        const r = benchLookups({ articles: size, seed: SEED, variant });
        rows.push(
          `| ${variant} | ${size} | ${r.lookups} | ${r.linked} | ${r.indexSeconds.toFixed(2)} | ` +
            `${r.microsPerLookup.toFixed(0)} | ${r.cpuMicrosPerLookup.toFixed(0)} | ${r.slowestMicros.toFixed(0)} |`,
        );
      }
    }
    process.stdout.write(`${machineLine()}\n\n${rows.join('\n')}\n`);
    return;
  }
  mkdirSync(BENCH_DIR, { recursive: true });
  const results: SizeResult[] = [];
  for (const variant of flags.corpora)
    for (const size of flags.sizes) results.push(await benchSize(size, flags, variant));
  progress('send throughput');
  const send: SendSummary = flags.stagesOnly
    ? { messagesPerSecond: null, note: 'skipped (--stages-only)', runs: [] }
    : await benchSendThroughput();
  const targets = [...evaluateTargets(results), sendTarget(send)];
  const saved: SavedRun = { machine: machineLine(flags.threads), results, send, targets };
  // Every run is kept, so runs of different sizes can be shown together (--table-from).
  const savedFile = join(BENCH_DIR, `run-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(savedFile, `${JSON.stringify(saved, null, 2)}\n`);
  progress(`results saved to ${relative(ROOT, savedFile)}`);
  if (flags.json) process.stdout.write(`${JSON.stringify(saved, null, 2)}\n`);
  else process.stdout.write(`${renderTable(results, targets, send, machineLine())}\n`);
  if (flags.profile) {
    const summaries = results.flatMap((r) => [...(r.builds?.profiles ?? []), ...(r.stages?.profiles ?? [])]);
    process.stderr.write(`\nCPU profiles (timings above are slowed by profiling):\n\n`);
    for (const summary of summaries) process.stderr.write(`${formatSummary(summary)}\n\n`);
  }
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  });
}
