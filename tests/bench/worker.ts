/**
 * The bench's child processes (started by run.ts, one per size and mode, so each size's peak
 * memory is its own). Modes:
 * - `builds`: the floor, a full build from cold state, a rebuild with nothing changed, and a
 *   rebuild after editing one article, all through `runPipeline` like `broadsheet build`;
 * - `stages`: each stage called directly on fresh state, to see where the full build's time goes.
 * Results go to a JSON file; `bench:` lines on stderr are progress. Times are wall-clock, taken
 * after the modules are loaded (module loading is the same for every size).
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext } from '../../src/cli/context.ts';
import { LOW_MEMORY_HEAP_GROWTH_PERCENT, setHeapGrowthPercent } from '../../src/cli/heap.ts';
import { dedupeArticles } from '../../src/dedupe/index.ts';
import { resolveAllRelated } from '../../src/normalize/index.ts';
import { createBuildMemo } from '../../src/pipeline/memo.ts';
import { buildNewsletter } from '../../src/pipeline/newsletter.ts';
import { writeOutputs } from '../../src/pipeline/output.ts';
import { readArticles } from '../../src/pipeline/read.ts';
import { type BuildReport, runPipeline } from '../../src/pipeline/run.ts';
import { normalizeSite, planSiteOutputs } from '../../src/pipeline/site.ts';
import { measureFloor, measureWriteFloor, removeAndSettle, removeEverythingBuilt } from './floor.ts';
import { type ProfileSummary, profiled, summarizeProfile } from './profile.ts';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function rssMb(): number {
  // maxRSS is in KiB: the process's peak resident set so far.
  return process.resourceUsage().maxRSS / 1024;
}

interface Section<T> {
  value: T | null;
  seconds: number | null;
  /** User + system CPU time: steadier than wall time when other work shares the machine. */
  cpuSeconds: number | null;
  error?: string;
}

class Timer {
  readonly profiles: ProfileSummary[] = [];
  constructor(
    private readonly profile: boolean,
    private readonly profileDir: string,
    private readonly size: number,
  ) {}

  /** Times `work`; under --profile also samples it. A thrown error is recorded, not fatal. */
  async run<T>(section: string, work: () => Promise<T> | T): Promise<Section<T>> {
    const started = performance.now();
    const cpu = process.cpuUsage();
    try {
      let value: T;
      if (this.profile) {
        const file = join(this.profileDir, `${this.size}-${section}.cpuprofile`);
        const result = await profiled(file, work);
        value = result.value;
        const summary = {
          section: `${this.size} ${section}`,
          file,
          ...summarizeProfile(result.profile, ROOT),
        };
        this.profiles.push(summary);
        progress(`profile written: ${file}`);
      } else {
        value = await work();
      }
      const used = process.cpuUsage(cpu);
      return {
        value,
        seconds: (performance.now() - started) / 1000,
        cpuSeconds: (used.user + used.system) / 1e6,
      };
    } catch (error) {
      const message = (error as Error).stack?.split('\n').slice(0, 3).join(' ') ?? String(error);
      progress(`${this.size} ${section} failed: ${message}`);
      return { value: null, seconds: null, cpuSeconds: null, error: message };
    }
  }
}

/** Bytes of the state and parse-cache files (with their WAL), as a build left them. */
function storedBytes(config: string): { state: number; cache: number } {
  const ctx = createContext({ config, quiet: true });
  const size = (path: string): number =>
    ['', '-wal'].reduce(
      (sum, suffix) => sum + (statSync(`${path}${suffix}`, { throwIfNoEntry: false })?.size ?? 0),
      0,
    );
  return {
    state: size(ctx.path(ctx.loaded.config.paths.state)),
    cache: size(ctx.path(ctx.loaded.config.paths.cache)),
  };
}

function outputStats(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const visit = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile()) {
        files++;
        bytes += statSync(child).size;
      }
    }
  };
  try {
    visit(dir);
  } catch {
    // No output folder: the build wrote nothing.
  }
  return { files, bytes };
}

/**
 * Edits one article the way a reporter would (a corrected paragraph), in a file from the
 * middle of the corpus. The file is a hard link into the corpus: unlink first, so the new
 * bytes go to a new file and the corpus itself is never changed.
 */
function editOneArticle(articlesDir: string, offset = 0): string {
  const names = readdirSync(articlesDir).sort();
  const name = names[Math.floor(names.length / 2) + offset] as string;
  const path = join(articlesDir, name);
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.length > 200 && !line.startsWith('- '));
  const eol = lines[at]?.endsWith('\r') ? '\r' : '';
  lines[at] = `${(lines[at] ?? '').replace(/\r$/, '')} This paragraph was corrected after publication.${eol}`;
  unlinkSync(path);
  writeFileSync(path, lines.join('\n'));
  return name;
}

/**
 * Wall time of `node src/cli/bin.js --config … build`, the command `npm start` runs, and its peak
 * RSS through GNU time when there is one (Node can't see a child's rusage itself).
 */
function timeCli(
  work: string,
  config: string,
  /** Run this much later than the bench's SOURCE_DATE_EPOCH (a cron build some time on). */
  laterBySeconds = 0,
): {
  seconds: number | null;
  exitCode: number | null;
  peakRssMb?: number;
  cpuSeconds?: number;
  rendered?: number;
  written?: number;
  stages?: Record<string, number>;
  error?: string;
} {
  const gnuTime = existsSync('/usr/bin/time');
  // --json: the summary says how many files the build rendered and wrote (a "from nothing" that
  // rendered nothing was not from nothing).
  const cli = [
    process.execPath,
    join(ROOT, 'src', 'cli', 'bin.js'),
    '--config',
    config,
    '--quiet',
    'build',
    '--json',
  ];
  const [command, ...args] = gnuTime ? ['/usr/bin/time', '-f', 'maxrss_kb=%M cpu=%U+%S', ...cli] : cli;
  const started = performance.now();
  const result = spawnSync(command as string, args, {
    cwd: work,
    env:
      laterBySeconds === 0 ? process.env : { ...process.env, SOURCE_DATE_EPOCH: laterEpoch(laterBySeconds) },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.error) return { seconds: null, exitCode: null, error: result.error.message };
  // Exit 1 means input diagnostics, still a finished build; worse codes mean it did not build.
  if ((result.status ?? 3) > 1) {
    return {
      seconds: null,
      exitCode: result.status,
      error: result.stderr.split('\n').slice(-3).join(' ').slice(0, 300),
    };
  }
  const rss = /maxrss_kb=(\d+)/.exec(result.stderr ?? '');
  const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(result.stderr ?? '');
  const files = writtenFiles(result.stdout);
  return {
    seconds,
    exitCode: result.status,
    ...files,
    ...(rss ? { peakRssMb: Number(rss[1]) / 1024 } : {}),
    ...(cpu ? { cpuSeconds: Number(cpu[1]) + Number(cpu[2]) } : {}),
  };
}

/**
 * The rendered and written counts of `build --json`'s summary, and its seconds by stage (where a
 * target's time went); none when it printed no JSON.
 */
function writtenFiles(stdout: string): {
  rendered?: number;
  written?: number;
  stages?: Record<string, number>;
} {
  try {
    const { written, seconds } = JSON.parse(stdout) as {
      written?: { rendered?: unknown; written?: unknown };
      seconds?: Record<string, unknown>;
    };
    const stages = Object.fromEntries(
      Object.entries(seconds ?? {}).filter((pair): pair is [string, number] => typeof pair[1] === 'number'),
    );
    return {
      ...(typeof written?.rendered === 'number' && typeof written.written === 'number'
        ? { rendered: written.rendered, written: written.written }
        : {}),
      ...(Object.keys(stages).length > 0 ? { stages } : {}),
    };
  } catch {
    return {};
  }
}

function laterEpoch(seconds: number): string {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  if (!Number.isFinite(epoch)) throw new Error('the bench worker runs with SOURCE_DATE_EPOCH set');
  return String(epoch + seconds);
}

/** Writes what is known so far: a size that times out still reports its finished sections. */
type Save = (result: Record<string, unknown>) => void;

/** What `broadsheet build` would exit with: 1 when the input has errors. */
function exitCodeOf(report: BuildReport | null): number | null {
  return report === null ? null : report.errors > 0 ? 1 : 0;
}

async function builds(work: string, size: number, timer: Timer, save: Save): Promise<void> {
  const config = join(work, 'broadsheet.config.json');
  const articles = join(work, 'articles');
  removeEverythingBuilt(work);
  const result: Record<string, unknown> = { baselineRssMb: rssMb(), profiles: timer.profiles };
  // The in-process builds below stand for `broadsheet build`, which sets this from the config.
  const lowMemory = createContext({ config, quiet: true }).loaded.config.build.lowMemory;
  if (lowMemory) setHeapGrowthPercent(LOW_MEMORY_HEAP_GROWTH_PERCENT);
  result.lowMemory = lowMemory;
  progress(`${size}: floor (read + sha256, best of 3)`);
  result.floor = measureFloor(articles);
  save(result);
  const build = async (section: string) => {
    const run = await timer.run(section, () =>
      runPipeline(createContext({ config, quiet: true }), { newsletter: true }),
    );
    return {
      seconds: run.seconds,
      cpuSeconds: run.cpuSeconds,
      error: run.error,
      exitCode: exitCodeOf(run.value),
    };
  };
  progress(`${size}: full build`);
  result.full = await build('full-build');
  result.peakRssMb = rssMb();
  result.outputs = outputStats(join(work, 'out'));
  result.stored = storedBytes(config);
  save(result);
  progress(`${size}: write floor (out/ written again, no rendering)`);
  result.writeFloor = measureWriteFloor(join(work, 'out'), join(work, 'out-write-floor'));
  save(result);
  progress(`${size}: rebuild, nothing changed`);
  result.noChange = await build('no-change-rebuild');
  save(result);
  const editedFile = editOneArticle(articles);
  progress(`${size}: incremental rebuild after editing ${editedFile}`);
  result.incremental = { ...(await build('incremental-rebuild')), editedFile };
  save(result);
  // What a reporter actually waits for: a fresh `broadsheet build` process (Node + tsx start-up
  // included) after another one-article edit.
  const cliEdited = editOneArticle(articles, 1);
  progress(`${size}: incremental rebuild through the CLI after editing ${cliEdited}`);
  result.incrementalCli = timeCli(work, config);
  save(result);
  // Nothing changed, new processes, as cron runs them: the first after that edit builds (and,
  // when it changes nothing, records itself); the next, an hour on, finds the same inputs,
  // state and out/, and no story due in its since-last window, and replays it.
  progress(`${size}: no-change rebuilds through the CLI`);
  result.noChangeCli = timeCli(work, config, 1800);
  result.noChangeCliAgain = timeCli(work, config, 3600);
  save(result);
  // What `serve` does on every save: the same process builds again with the memos of its last
  // build. The first build fills them (timed too: what serve's first rebuild costs).
  const memo = createBuildMemo();
  // serve and build --watch leave the heap to V8.
  setHeapGrowthPercent(0);
  const warm = async (section: string) => {
    const run = await timer.run(section, () =>
      runPipeline(createContext({ config, quiet: true }), { newsletter: true }, memo),
    );
    return {
      seconds: run.seconds,
      cpuSeconds: run.cpuSeconds,
      error: run.error,
      exitCode: exitCodeOf(run.value),
    };
  };
  progress(`${size}: warm: first build with an empty memo`);
  result.warmFirst = await warm('warm-first');
  progress(`${size}: warm: rebuild, nothing changed`);
  result.warmNoChange = await warm('warm-no-change');
  const warmEdited = editOneArticle(articles, 2);
  progress(`${size}: warm: incremental rebuild after editing ${warmEdited}`);
  result.warmIncremental = { ...(await warm('warm-incremental')), editedFile: warmEdited };
  save(result);
  // What a publisher's first `broadsheet build` of the archive costs, in a process of its own:
  // no parse cache, no state, no out/ (its peak RSS is the product's, without the bench's own).
  progress(`${size}: full build through the CLI, from nothing`);
  removeEverythingBuilt(work);
  result.fullCli = timeCli(work, config);
  save(result);
}

/**
 * Dedupe's own bench (tests/bench/dedupe.ts, owned by the dedupe work) scores recall and false
 * merges on its planted corpus; run it here for sizes up to 10k when the file is there.
 */
async function dedupeQuality(size: number): Promise<{ note: string } | Record<string, number>> {
  if (size > 10_000) return { note: 'not run above 10k (run tests/bench/dedupe.ts directly)' };
  if (!existsSync(join(ROOT, 'tests', 'bench', 'dedupe.ts')))
    return { note: 'tests/bench/dedupe.ts not present' };
  try {
    progress(`${size}: tests/bench/dedupe.ts benchDedupe(${size})`);
    const { benchDedupe } = await import('./dedupe.ts');
    const r = benchDedupe(size);
    return {
      planted: r.planted,
      plantedFound: r.plantedFound,
      falseMerges: r.falseMerges,
      seconds: r.seconds,
    };
  } catch (error) {
    return { note: `tests/bench/dedupe.ts failed: ${(error as Error).message.slice(0, 200)}` };
  }
}

async function stages(
  work: string,
  size: number,
  timer: Timer,
  save: Save,
  variant: string,
  skipWrite: boolean,
): Promise<void> {
  removeAndSettle(join(work, 'out-stages'));
  removeAndSettle(join(work, 'state-stages'));
  const ctx = createContext({ config: join(work, 'stages.config.json'), quiet: true });
  const { config } = ctx.loaded;
  const result: Record<string, unknown> = { profiles: timer.profiles };
  const timing = (section: Section<unknown>) => ({
    seconds: section.seconds,
    cpuSeconds: section.cpuSeconds,
    error: section.error,
  });
  progress(`${size}: stage read + parse`);
  const read = await timer.run('read-parse', () =>
    readArticles([ctx.path(config.paths.articles)], {
      maxFileBytes: config.ingest.maxFileBytes,
      timeZone: config.site.timeZone,
    }),
  );
  const articles = read.value?.articles ?? [];
  const diagnostics = read.value?.diagnostics ?? [];
  result.read = {
    ...timing(read),
    files: read.value?.files ?? 0,
    articles: articles.length,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
  save(result);
  progress(`${size}: stage dedupe (${articles.length} articles)`);
  const dedupe = await timer.run('dedupe', () => dedupeArticles(articles));
  const unique = dedupe.value?.articles ?? articles;
  result.dedupe = { ...timing(dedupe), articles: unique.length, merges: dedupe.value?.merges.length ?? 0 };
  save(result);
  const db = ctx.openState();
  try {
    progress(`${size}: stage site (normalize, then plan outputs)`);
    const normalized = await timer.run('normalize', () => normalizeSite(ctx, db, unique));
    // Items come only from storing their identities: the newsletter's edition names these ids.
    const items = normalized.value?.saveIdentities() ?? [];
    const planned = await timer.run('plan', () => planSiteOutputs(ctx, items));
    const site = {
      seconds: sum(normalized.seconds, planned.seconds),
      cpuSeconds: sum(normalized.cpuSeconds, planned.cpuSeconds),
      error: normalized.error ?? planned.error,
      value: planned.value === null ? null : { files: planned.value },
    };
    result.normalize = timing(normalized);
    result.site = { ...timing(site), items: items.length, files: site.value?.files.length ?? 0 };
    save(result);
    // The related lookup on its own, as normalize ran it (no memo): its share of normalize.
    progress(`${size}: related lookup alone`);
    const queries = items.map((item) => ({
      selfId: item.id,
      titles: item.related.map((link) => link.title),
    }));
    const related = await timer.run('related', () => resolveAllRelated(items, queries, undefined));
    result.related = {
      ...timing(related),
      lookups: queries.reduce((n, q) => n + q.titles.length, 0),
      linked: related.value?.links.flat().filter((link) => link.itemId !== null).length ?? 0,
    };
    save(result);
    if (!skipWrite) {
      progress(`${size}: stage newsletter`);
      const newsletter = await timer.run('newsletter', () => buildNewsletter(ctx, db, items, {}));
      result.newsletter = {
        ...timing(newsletter),
        files: newsletter.value?.files.length ?? 0,
        message: newsletter.value?.message ?? '',
      };
      save(result);
      progress(`${size}: stage write`);
      const files = [...(site.value?.files ?? []), ...(newsletter.value?.files ?? [])];
      const write = await timer.run('write', () => writeOutputs(ctx.path(config.paths.out), files));
      result.write = { ...timing(write), written: write.value?.written ?? 0 };
    }
    save(result);
    // A rebuild's normalize: every article matched against the identities just stored.
    progress(`${size}: normalize again, against the stored identities`);
    const again = await timer.run('renormalize', () => normalizeSite(ctx, db, unique));
    result.renormalize = timing(again);
    save(result);
  } finally {
    db.close();
  }
  result.dedupeQuality =
    variant === 'standard' ? await dedupeQuality(size) : { note: 'not run (standard corpus only)' };
  save(result);
}

/** Entry point: `run.ts --worker <mode> <work dir> <size> <result file> [--profile]`. */
export async function runBenchWorker(args: string[]): Promise<void> {
  const [mode, work, sizeText, resultFile] = args;
  if (!mode || !work || !sizeText || !resultFile)
    throw new Error('worker: expected <mode> <work> <size> <result>');
  const size = Number(sizeText);
  const profileDir = join(ROOT, '.bench', 'profiles');
  if (args.includes('--profile')) mkdirSync(profileDir, { recursive: true });
  const timer = new Timer(args.includes('--profile'), profileDir, size);
  const save: Save = (result) => writeFileSync(resultFile, JSON.stringify(result, null, 2));
  const variantAt = args.indexOf('--variant');
  const variant = variantAt >= 0 ? (args[variantAt + 1] ?? 'standard') : 'standard';
  if (mode === 'builds') await builds(work, size, timer, save);
  else await stages(work, size, timer, save, variant, args.includes('--skip-write'));
}

function sum(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}
