import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Output } from '../types.ts';
import { inFolder } from './in-folder.ts';
import {
  copyUnlessSame,
  ensureFolder,
  stamp,
  stampOf,
  type WrittenFile,
  writeUnlessSame,
} from './output-file.ts';
import type { FileWriter, WriterPool } from './write-pool.ts';

/**
 * Where a build's files live. `out` is a link to `<builds>/current`, itself a link to one whole
 * build folder `<builds>/<id>`. A build writes a new folder beside the live one and swaps
 * `current` to it with one rename(2), so a reader, `serve` or a deploy (`rsync -a out/ …`) sees
 * either the previous build or the new one, never a mix, at every instant. `out` itself never
 * changes once made, so a project that keeps it in git stays clean.
 */
export interface OutputLayout {
  /** The configured output path (`paths.out`): a link to `current`. */
  out: string;
  /** `.<name>.builds` beside `out`: the build folders, their manifests and the `current` link. */
  builds: string;
  /** The link whose swap publishes a build. */
  current: string;
}

/** The manifest's file name in the builds folder: `<id>.manifest.json`, never inside the published tree. */
const MANIFEST_SUFFIX = '.manifest.json';
/** The manifest of builds before whole-build swaps, inside `out/`; read once when such a folder is adopted. */
export const LEGACY_MANIFEST = '.broadsheet-manifest.json';

export function outputLayout(outDir: string): OutputLayout {
  const out = resolve(outDir);
  const builds = join(dirname(out), `.${basename(out)}.builds`);
  return { out, builds, current: join(builds, 'current') };
}

/** The manifest of the build `out` shows now (for tests and tools): path → { hash, size, key, stamp }. */
export function liveManifestPath(outDir: string): string | null {
  const layout = outputLayout(outDir);
  const id = readLiveId(layout);
  return id ? manifestFile(layout, id) : null;
}

export interface WriteSummary {
  written: number;
  unchanged: number;
  removed: number;
  /** Outputs rendered this build; the rest kept their render key and were not rendered at all. */
  rendered: number;
}

interface ManifestEntry {
  hash: string;
  size: number;
  key?: string;
  /**
   * The file's inode, size and mtime when written. A file whose stamp still matches is the one
   * this manifest describes (a hand edit or a truncation changes the mtime), so it is carried
   * into the next build by a hard link without reading it. Hard links keep all three.
   */
  stamp?: string;
}

type Manifest = Map<string, ManifestEntry>;

/**
 * A warm rebuild's memory of the manifest it wrote last (`serve`, the bench): while the live
 * build is the one it wrote, its manifest is not read and parsed again.
 */
export class WriteMemo {
  manifest: Manifest | null = null;
  buildId = '';
  /** The spare build's manifest (see `recycleSpare`), likewise. */
  spareManifest: Manifest | null = null;
  spareId = '';
}

export interface WriteOptions {
  /**
   * A folder (on the same file system) the replaced build is moved into and removed from by a
   * detached process: removing a 10k-story build's ~10,000 folders took 15 s of a one-edit
   * rebuild on this disk. Without it, the build is removed before writeOutputs returns.
   */
  trash?: string;
  /**
   * The id of the spare build `tidySpare` (spare.ts) already cleared of everything its manifest
   * does not list: the writer then makes it over from the manifests alone, without walking it.
   */
  tidied?: string | null;
}

/**
 * Writes a build's files as one new build folder and publishes it with one atomic swap (see
 * OutputLayout). A planned output whose render key matches the live build's, and whose live file
 * is still the one the manifest describes, is not rendered: its file is hard-linked into the new
 * folder, which keeps its mtime (so ETags and Last-Modified stay honest). The others are rendered
 * one at a time and written, so memory holds one file, not the site. A build that changes no
 * byte publishes nothing. The new folder is the spare build made over when there is one (see
 * recycleSpare), a new one otherwise. A build that throws or is killed leaves the live build as
 * it was; its half-written folder is removed by the next build.
 *
 * The caller holds the build lock (the pipeline does): two writers in one builds folder would
 * remove each other's folders as leftovers.
 */
export function writeOutputs(
  outDir: string,
  outputs: Iterable<Output>,
  memo?: WriteMemo,
  options: WriteOptions = {},
): WriteSummary {
  const steps = writeSteps(outDir, [...outputs], memo, options, {});
  const step = steps.next();
  // Only helper threads are waited for: without them the writer never pauses.
  if (!step.done) throw new Error('writeOutputs paused without helper threads');
  return step.value;
}

/**
 * Threads beside the build's own that render, hash and write some of the planned outputs (see
 * render-pool.ts). The writer decides what must be rendered; each thread, this one included,
 * claims the next job from a shared counter until none is left, so a thread that starts late
 * or meets long pages simply does fewer. The manifest is put together in plan order, so it and
 * every file are the same as a one-thread build's.
 */
export interface RenderHelpers {
  /** How many outputs, from the first, the helpers can render (the site's planned outputs). */
  readonly outputs: number;
  /** Fewer jobs than this are rendered here alone (a thread takes longer to start). */
  readonly minJobs: number;
  /**
   * Starts the helpers on `jobs`, written into `stage` (made by whichever thread writes first).
   * Each job is claimed with `Atomics.add(claim, 0, 1)`; the result lists the jobs the helpers did.
   * Rejects with the first error a helper met (the build fails as on a render error here).
   */
  start(jobs: RenderJob[], stage: string, claim: Int32Array): Promise<RenderResult[]>;
  /** Ends the helper threads (resolves once they are gone, so none writes after a failed build's folder is removed). */
  stop(): Promise<void>;
}

/** One planned output a helper may render: its index in the plan, and the live file's hash when intact. */
export interface RenderJob {
  index: number;
  path: string;
  liveHash: string | null;
}

export interface RenderResult extends WrittenFile {
  index: number;
}

/**
 * Threads that take work off the writer: `helpers` render files beside this thread (the stories
 * in memory); else a `writer` thread encodes, hashes and writes what this thread renders.
 */
export interface WriteThreads {
  helpers?: RenderHelpers | undefined;
  writer?: WriterPool | undefined;
}

/** writeOutputs, with helper threads. The result and the files are the same. */
export async function writeOutputsShared(
  outDir: string,
  outputs: Output[],
  threads: WriteThreads,
  memo?: WriteMemo,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  const steps = writeSteps(outDir, outputs, memo, options, threads);
  try {
    let step = steps.next();
    while (!step.done) {
      let value: unknown;
      try {
        value = await step.value;
      } catch (error) {
        step = steps.throw(error);
        continue;
      }
      step = steps.next(value);
    }
    return step.value;
  } finally {
    await threads.helpers?.stop();
  }
}

/**
 * The writer itself, as steps: it pauses (yields a promise, and is resumed with its value) only
 * to wait for helper threads, so without them it runs straight through.
 */
function* writeSteps(
  outDir: string,
  outputs: Output[],
  memo: WriteMemo | undefined,
  { trash, tidied }: WriteOptions,
  { helpers, writer: writerPool }: WriteThreads,
): Generator<Promise<unknown>, WriteSummary, unknown> {
  const layout = outputLayout(outDir);
  const liveId = adoptOutFolder(layout);
  const spareId = removeLeftovers(layout, liveId, trash);
  const liveDir = liveId ? join(layout.builds, liveId) : null;
  const previous: Manifest = !liveId
    ? new Map()
    : memo?.manifest && memo.buildId === liveId
      ? memo.manifest
      : readManifest(manifestFile(layout, liveId));
  const id = newBuildId();
  const stagePath = join(layout.builds, id);
  // By output index: the manifest lists them in plan order, whichever thread wrote them.
  const entries: ManifestEntry[] = new Array(outputs.length);
  const claimed = new Set<string>();
  const summary: WriteSummary = { written: 0, unchanged: 0, removed: 0, rendered: 0 };
  // Whether the manifest differs from the live one (an entry added, changed or dropped).
  let manifestChanged = false;
  // A build writes thousands of pages into a few hundred folders: create each folder once.
  const folders = new Set<string>();
  // The new build folder is made when the first file must be written: a build that changes no
  // byte (most rebuilds) links and creates nothing (linking 14k files into a folder that was
  // then deleted was most of a 10k no-change rebuild). Until then, unchanged paths wait here.
  let stage: string | null = null;
  // Set when the stage is the spare build made over (see recycleSpare): path → the stamp its
  // file had there, so a kept file already linked from the live build is left alone.
  let recycled: Map<string, string | undefined> | null = null;
  const waiting: string[] = [];
  const carry = (path: string): void => {
    const target = `${stagePath}${sep}${path}`;
    if (recycled !== null) {
      const had = recycled.get(path);
      const live = previous.get(path)?.stamp;
      if (had !== undefined && had === live && stampOf(target) === live) return;
      // Another file there: unlinked, never written into (it may be the live build's inode).
      rmSync(target, { recursive: true, force: true });
    }
    carryOver(`${liveDir}${sep}${path}`, target, folders);
  };
  const openStage = (): string => {
    if (stage !== null) return stage;
    if (spareId !== null && liveId !== null) {
      const spareManifest =
        memo?.spareManifest && memo.spareId === spareId
          ? memo.spareManifest
          : readManifest(manifestFile(layout, spareId));
      recycled = recycleSpare(
        layout,
        spareId,
        stagePath,
        outputs,
        spareManifest,
        folders,
        tidied === spareId,
      );
    }
    // A helper thread may have made it already.
    else ensureFolder(stagePath, folders);
    stage = stagePath;
    for (const path of waiting) carry(path);
    waiting.length = 0;
    return stagePath;
  };
  const keep = (path: string): void => {
    if (stage === null) waiting.push(path);
    else carry(path);
  };
  const liveHashOf = (path: string): string | null => {
    const before = previous.get(path);
    return before && liveDir && isIntact(`${liveDir}${sep}${path}`, before) ? before.hash : null;
  };
  /** Records what became of output `index`'s bytes (rendered here or by a helper). */
  const settle = (index: number, file: WrittenFile): void => {
    const output = outputs[index] as Output;
    const key = 'key' in output ? output.key : undefined;
    if (!file.written) {
      const before = previous.get(output.path) as ManifestEntry;
      keep(output.path);
      // Only a new render key changes the entry (the bytes, size and stamp are the live file's).
      if (before.key !== key) manifestChanged = true;
      entries[index] = entry(file.hash, file.size, key, before.stamp);
      summary.unchanged++;
      return;
    }
    manifestChanged = true;
    entries[index] = entry(file.hash, file.size, key, file.stamp);
    summary.written++;
  };
  const renderHere = (index: number, liveHash: string | null): void => {
    const output = outputs[index] as Output;
    if ('copyFrom' in output) {
      settle(
        index,
        copyUnlessSame(output, liveHash, () => `${openStage()}${sep}${output.path}`, folders),
      );
      return;
    }
    const contents = 'render' in output ? output.render() : output.contents;
    if ('render' in output) summary.rendered++;
    // The path is relative with no "..": no need for join's normalizing per file.
    settle(
      index,
      writeUnlessSame(contents, liveHash, () => `${openStage()}${sep}${output.path}`, folders),
    );
  };
  let helping = false;
  let writer: FileWriter | undefined;
  let manifest: Manifest;
  try {
    const jobs: RenderJob[] = [];
    // What another thread may take: render helpers the site's planned outputs (they plan the
    // site again), the writer every rendered one (it is handed the bytes).
    const sharedUpTo = helpers ? helpers.outputs : writerPool ? outputs.length : 0;
    for (let index = 0; index < outputs.length; index++) {
      const output = outputs[index] as Output;
      checkPath(output.path, claimed);
      const liveHash = liveHashOf(output.path);
      const before = previous.get(output.path);
      const key = 'key' in output ? output.key : undefined;
      if (liveHash !== null && before !== undefined && key !== undefined && before.key === key) {
        keep(output.path);
        entries[index] = before;
        summary.unchanged++;
      } else if (index < sharedUpTo && 'render' in output) jobs.push({ index, path: output.path, liveHash });
      else renderHere(index, liveHash);
    }
    if (helpers && jobs.length >= helpers.minJobs) {
      // The spare becomes the stage before any helper writes there (a rename needs no folder there).
      if (spareId !== null) openStage();
      const claim = new Int32Array(new SharedArrayBuffer(4));
      helping = true;
      const shared = helpers.start(jobs, stagePath, claim);
      // Rejected while this thread still renders: awaited below, not an unhandled rejection.
      shared.catch(() => {});
      for (let next = Atomics.add(claim, 0, 1); next < jobs.length; next = Atomics.add(claim, 0, 1)) {
        const job = jobs[next] as RenderJob;
        renderHere(job.index, job.liveHash);
      }
      const done = (yield shared) as RenderResult[];
      summary.rendered += done.length;
      for (const result of done) settle(result.index, result);
    } else if (writerPool && jobs.length >= writerPool.minJobs) {
      // As for helpers: the spare is the stage before the writer writes there.
      if (spareId !== null) openStage();
      writer = writerPool.start();
      const settleWritten = (): void => {
        for (const result of (writer as FileWriter).take()) settle(result.index, result);
      };
      for (const { index, path, liveHash } of jobs) {
        const contents = (outputs[index] as Extract<Output, { render: unknown }>).render();
        summary.rendered++;
        writer.send({ index, contents, liveHash, target: `${stagePath}${sep}${path}` });
        if (!writer.hasRoom()) {
          yield writer.next();
          settleWritten();
        }
      }
      yield writer.finish();
      settleWritten();
      const stopping = writer;
      writer = undefined;
      yield stopping.stop();
    } else for (const job of jobs) renderHere(job.index, job.liveHash);
    const next: Manifest = new Map();
    for (let index = 0; index < outputs.length; index++)
      next.set((outputs[index] as Output).path, entries[index] as ManifestEntry);
    for (const stale of previous.keys()) {
      if (next.has(stale)) continue;
      manifestChanged = true;
      summary.removed++;
    }
    if (liveId && summary.written === 0 && summary.removed === 0) {
      // Not one byte changed: the live build stays (no swap); only its manifest learns new keys.
      if (manifestChanged) writeManifest(manifestFile(layout, liveId), next);
      // A spare made over for helpers that then wrote nothing holds the live build's files,
      // every one a link to them: it stays the spare, with that manifest.
      if (stage !== null) writeManifest(manifestFile(layout, id), next);
      remember(memo, liveId, next);
      if (memo && stage !== null) {
        memo.spareId = id;
        memo.spareManifest = next;
      }
      return summary;
    }
    openStage();
    writeManifest(manifestFile(layout, id), next);
    manifest = next;
  } catch (error) {
    // Helpers still writing into the folder are stopped before it is removed.
    if (helping) yield (helpers as RenderHelpers).stop();
    if (writer) yield writer.stop();
    rmSync(stagePath, { recursive: true, force: true });
    rmSync(manifestFile(layout, id), { force: true });
    throw error;
  }
  publish(layout, id);
  remember(memo, id, manifest);
  if (liveId) {
    // The replaced build is kept as the next build's spare when it is mostly this one's files
    // (hard links to the same inodes, so little disk); a build that rewrote much of the site
    // would leave a spare that saves the next build little, at the cost of a second site's bytes.
    if (summary.written <= outputs.length * SPARE_MAX_WRITTEN) {
      if (memo) {
        memo.spareId = liveId;
        memo.spareManifest = previous;
      }
    } else removeBuild(layout, liveId, trash);
  }
  return summary;
}

/** The share of a build's outputs it may write and still keep the build it replaced as a spare. */
const SPARE_MAX_WRITTEN = 0.25;

/**
 * Makes the spare build (the one the live build replaced, kept in the builds folder with its
 * manifest) into the new build's folder, instead of making every folder and linking every file
 * again (~11,000 folders and ~14,000 links for 10k stories: 0.8-1.7 s of a one-edit rebuild on
 * this disk). Its manifest goes first: a build killed from here on leaves a folder with no
 * manifest, which the next build removes as a leftover. Then the folder is renamed to the
 * stage, and everything in it that no planned output names is removed (files the spare had and
 * this build drops, a folder where a file is planned, anything put there by hand), so that once
 * every output is linked or written the folder holds exactly this build. A spare `tidySpare`
 * (spare.ts) cleared beforehand holds only what its manifest lists, so the manifests say what to
 * remove; any other is walked folder by folder. Returns path → the stamp each remaining file had
 * in the spare's manifest; the caller checks each against the file itself before trusting it. The live build is never touched: its files are only ever
 * unlinked from the stage, never written into.
 */
function recycleSpare(
  layout: OutputLayout,
  spareId: string,
  stagePath: string,
  outputs: readonly Output[],
  spareManifest: Manifest,
  folders: Set<string>,
  tidied: boolean,
): Map<string, string | undefined> {
  rmSync(manifestFile(layout, spareId), { force: true });
  renameSync(join(layout.builds, spareId), stagePath);
  const planned = new Set<string>();
  for (const { path } of outputs) planned.add(path);
  const plannedFolders = foldersOf(planned);
  folders.add(stagePath);
  if (tidied) dropUnplanned(stagePath, spareManifest, planned, plannedFolders);
  else keepPlanned(stagePath, '', planned, plannedFolders, folders);
  const stamps = new Map<string, string | undefined>();
  for (const [path, entry] of spareManifest) if (planned.has(path)) stamps.set(path, entry.stamp);
  return stamps;
}

/** Every folder the paths are in (their parent folders, and theirs), as relative paths. */
function foldersOf(paths: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const path of paths)
    for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1))
      folders.add(path.slice(0, slash));
  return folders;
}

/**
 * Removes from a tidied spare (its folder holds what its manifest lists, nothing else) the
 * files no planned output names and the folders no planned output is in: work in proportion to
 * the spare's manifest, with no walk of its folders.
 */
function dropUnplanned(
  stage: string,
  spareManifest: Manifest,
  planned: ReadonlySet<string>,
  plannedFolders: ReadonlySet<string>,
): void {
  // Planned folders are not taken as made: one the manifest implies may have been deleted by
  // hand, and a link into it must create it again.
  const unplannedFolders = new Set<string>();
  for (const folder of foldersOf(spareManifest.keys()))
    if (!plannedFolders.has(folder)) unplannedFolders.add(folder);
  for (const path of spareManifest.keys())
    if (!planned.has(path)) rmSync(`${stage}${sep}${path}`, { recursive: true, force: true });
  // Whatever is left in them is unplanned too (a file planned where the spare had a folder).
  for (const folder of unplannedFolders) rmSync(`${stage}${sep}${folder}`, { recursive: true, force: true });
}

/** Removes whatever below `root`/`folder` is neither a planned file nor a folder one is in. */
function keepPlanned(
  root: string,
  folder: string,
  planned: ReadonlySet<string>,
  plannedFolders: ReadonlySet<string>,
  folders: Set<string>,
): void {
  const here = folder === '' ? root : `${root}${sep}${folder}`;
  for (const dirent of readdirSync(here, { withFileTypes: true })) {
    const path = folder === '' ? dirent.name : `${folder}/${dirent.name}`;
    const full = `${here}${sep}${dirent.name}`;
    if (dirent.isDirectory() && plannedFolders.has(path)) {
      folders.add(full);
      keepPlanned(root, path, planned, plannedFolders, folders);
    } else if (dirent.isDirectory() || !planned.has(path)) rmSync(full, { recursive: true, force: true });
  }
}

/** Writes `bytes` to `target` through a temp file and a rename, creating folders as needed. */
export function writeFileAtomic(target: string, bytes: Uint8Array | string, madeFolders?: Set<string>): void {
  replaceAtomically(target, (temp) => {
    ensureFolder(dirname(target), madeFolders ?? new Set());
    writeFileSync(temp, bytes);
  });
}

/** `paths.out` holds something a build must not replace: the message says what to do. */
export class OutputFolderError extends Error {}

/**
 * Makes `out` a link into the builds folder. A real folder there (a checkout's empty `out/`, or
 * a site written before whole-build swaps) is adopted as the live build: moved into the builds
 * folder, its old manifest beside it. Returns the live build's id, or null before the first build.
 */
function adoptOutFolder(layout: OutputLayout): string | null {
  const stats = lstatSync(layout.out, { throwIfNoEntry: false });
  // Before anything is made beside it.
  if (stats?.isDirectory()) refuseForeignFolder(layout.out);
  mkdirSync(layout.builds, { recursive: true });
  if (stats === undefined) {
    // The link alone was removed (`rm out`): the live build is still there; link it again.
    const live = readLiveId(layout);
    if (live) linkOut(layout);
    return live;
  }
  if (stats.isSymbolicLink()) {
    const target = resolve(dirname(layout.out), readlinkSync(layout.out));
    if (target !== layout.current)
      throw new OutputFolderError(
        `${layout.out} is a link to ${target}, not to ${layout.current}: Broadsheet publishes a build by swapping that link; remove ${layout.out} and build again`,
      );
    return readLiveId(layout);
  }
  if (!stats.isDirectory())
    throw new OutputFolderError(
      `${layout.out} is a file, not the output folder: move it away and build again`,
    );
  const id = newBuildId();
  // The one moment `out` is missing: once, when a folder of the older layout is adopted.
  renameSync(layout.out, join(layout.builds, id));
  rescueOldOutbox(layout, join(layout.builds, id));
  try {
    renameSync(join(layout.builds, id, LEGACY_MANIFEST), manifestFile(layout, id));
  } catch {
    writeManifest(manifestFile(layout, id), new Map());
  }
  publish(layout, id);
  return id;
}

/**
 * Adopting a folder hands it to the builds that follow, which remove whatever they did not
 * write: only a folder Broadsheet wrote (its manifest, which every earlier layout kept) or one
 * with nothing in it but hidden files (a checkout's `out/.gitkeep`) is taken. Anything else at
 * `paths.out` (the articles folder named by mistake, a gh-pages checkout with its `.git`) would
 * be lost: the build stops before it changes anything.
 */
function refuseForeignFolder(out: string): void {
  const entries = readdirSync(out, { withFileTypes: true });
  if (entries.some((entry) => entry.name === LEGACY_MANIFEST)) return;
  const visible = entries.filter((entry) => !entry.name.startsWith('.') || entry.isDirectory());
  if (visible.length === 0) return;
  const shown = visible
    .slice(0, 3)
    .map((entry) => entry.name)
    .join(', ');
  throw new OutputFolderError(
    `${out} is a folder Broadsheet did not write (${shown}${visible.length > 3 ? ', …' : ''}; no ${LEGACY_MANIFEST}): ` +
      'a build replaces its output folder whole, so it would delete these files. Check paths.out, or move the folder away, and build again; the folder was left as it was',
  );
}

/**
 * The outbox's old default was `out/outbox`: sent mail that the next swap would delete with the
 * adopted folder. It moves beside `out` (the new default, `outbox`), or, when that exists, to a
 * name of its own there; never lost.
 */
function rescueOldOutbox(layout: OutputLayout, adopted: string): void {
  const old = join(adopted, 'outbox');
  if (!statSync(old, { throwIfNoEntry: false })?.isDirectory()) return;
  const beside = join(dirname(layout.out), 'outbox');
  const target = lstatSync(beside, { throwIfNoEntry: false })
    ? `${beside}-from-${basename(layout.out)}`
    : beside;
  if (lstatSync(target, { throwIfNoEntry: false })) return; // Already rescued once: leave it.
  renameSync(old, target);
}

/** Swaps `current` to build `id` (one rename), and makes the `out` link if it is missing. */
function publish(layout: OutputLayout, id: string): void {
  const temp = join(layout.builds, `.current-${randomBytes(6).toString('hex')}`);
  symlinkSync(id, temp);
  renameSync(temp, layout.current);
  if (!lstatSync(layout.out, { throwIfNoEntry: false })) linkOut(layout);
}

function linkOut(layout: OutputLayout): void {
  symlinkSync(relative(dirname(layout.out), layout.current), layout.out);
}

/** The build `current` points at, if it is a folder of ours. */
function readLiveId(layout: OutputLayout): string | null {
  let id: string;
  try {
    id = readlinkSync(layout.current);
  } catch {
    return null;
  }
  if (!BUILD_ID.test(id)) return null;
  return statSync(join(layout.builds, id), { throwIfNoEntry: false })?.isDirectory() ? id : null;
}

/**
 * Everything in the builds folder but the live build, the spare and their manifests is a
 * leftover: the folder of a build that was killed or failed, a build a swap replaced and no
 * longer kept, a temp link. Returns the spare's id, if there is one.
 */
function removeLeftovers(
  layout: OutputLayout,
  liveId: string | null,
  trash: string | undefined,
): string | null {
  const names = readdirSync(layout.builds);
  const spare = spareAmong(names, liveId);
  const keep = new Set(['current']);
  for (const id of [liveId, spare]) if (id !== null) keep.add(id).add(`${id}${MANIFEST_SUFFIX}`);
  const folders: string[] = [];
  for (const name of names) {
    if (keep.has(name)) continue;
    if (BUILD_ID.test(name)) folders.push(name);
    else rmSync(join(layout.builds, name), { recursive: true, force: true });
  }
  for (const id of folders) discard(join(layout.builds, id), trash);
  return spare;
}

/** The newest build other than the live one that still has its manifest (see recycleSpare). */
function spareAmong(names: readonly string[], liveId: string | null): string | null {
  const present = new Set(names);
  return (
    names
      .filter((name) => BUILD_ID.test(name) && name !== liveId && present.has(`${name}${MANIFEST_SUFFIX}`))
      .sort()
      .at(-1) ?? null
  );
}

/** The spare build of `outDir`'s builds folder, if there is one: its id, folder and manifest file. */
export function spareBuild(outDir: string): { id: string; folder: string; manifest: string } | null {
  const layout = outputLayout(outDir);
  const liveId = readLiveId(layout);
  if (liveId === null) return null;
  let names: string[];
  try {
    names = readdirSync(layout.builds);
  } catch {
    return null;
  }
  const id = spareAmong(names, liveId);
  return id === null ? null : { id, folder: join(layout.builds, id), manifest: manifestFile(layout, id) };
}

function removeBuild(layout: OutputLayout, id: string, trash: string | undefined): void {
  rmSync(manifestFile(layout, id), { force: true });
  discard(join(layout.builds, id), trash);
}

/**
 * Removes a build folder: at once, or by moving it into `trash` (one rename) and leaving the
 * removal to a detached process, so the build that replaced it ends without waiting. A remover
 * that dies leaves the folder in the trash, where the next one removes it.
 */
function discard(folder: string, trash: string | undefined): void {
  if (trash !== undefined) {
    try {
      mkdirSync(trash, { recursive: true });
      renameSync(folder, join(trash, `${basename(folder)}-${randomBytes(4).toString('hex')}`));
      emptyInBackground(trash);
      return;
    } catch {
      // Another file system (EXDEV), or no trash folder: remove it here.
    }
  }
  rmSync(folder, { recursive: true, force: true });
}

/** A detached `node` that removes everything in `trash` (one at a time per folder is enough). */
function emptyInBackground(trash: string): void {
  const script =
    "const fs=require('node:fs'),p=require('node:path');" +
    'for(const n of fs.readdirSync(process.argv[1]))' +
    'try{fs.rmSync(p.join(process.argv[1],n),{recursive:true,force:true,maxRetries:3})}catch{}';
  spawn(process.execPath, ['-e', script, trash], { detached: true, stdio: 'ignore' }).unref();
}

function manifestFile(layout: OutputLayout, id: string): string {
  return join(layout.builds, `${id}${MANIFEST_SUFFIX}`);
}

const BUILD_ID = /^b[0-9a-z]+$/;

/** Sortable by time for a person listing the folder; random so two machines never collide. */
function newBuildId(): string {
  return `b${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

function remember(memo: WriteMemo | undefined, id: string, manifest: Manifest): void {
  if (!memo) return;
  memo.manifest = manifest;
  memo.buildId = id;
}

/**
 * Puts the live file into the new build without copying its bytes: a hard link (same inode, so
 * the same mtime and stamp). Where the file system has no hard links, a copy with the mtime kept.
 */
function carryOver(live: string, target: string, folders: Set<string>): void {
  ensureFolder(dirname(target), folders);
  try {
    linkSync(live, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EXDEV' && code !== 'ENOTSUP' && code !== 'EMLINK') throw error;
    copyFileSync(live, target);
    const { atime, mtime } = statSync(live);
    utimesSync(target, atime, mtime);
  }
}

/**
 * Replaces `target` with what `write` puts in a hidden temp file beside it, by a rename; on any
 * failure the temp file is removed and `target` is left as it was.
 */
function replaceAtomically(target: string, write: (temp: string) => void): void {
  const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    write(temp);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** A path the output folder may hold, claimed by one output only. */
function checkPath(path: string, claimed: Set<string>): void {
  if (claimed.has(path)) throw new Error(`two outputs claim the same path: ${path}`);
  claimed.add(path);
  if (!isSafeRelativePath(path)) throw new Error(`output path escapes the output folder: ${path}`);
}

/** Relative, with no empty or ".." segment. Runs for every output of every build: no split. */
function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.endsWith('/') || path.includes('//')) return false;
  return !DOT_SEGMENT.test(path);
}

const DOT_SEGMENT = /(?:^|\/)\.\.(?:\/|$)/;

/** Whether the live file is still the one the manifest entry describes (one stat, no read). */
function isIntact(path: string, { size, stamp: expected }: Pick<ManifestEntry, 'size' | 'stamp'>): boolean {
  if (expected === undefined) return false;
  const stats = statSync(path, { throwIfNoEntry: false, bigint: true });
  return stats !== undefined && Number(stats.size) === size && stamp(stats) === expected;
}

function entry(
  hash: string,
  size: number,
  key: string | undefined,
  stamp: string | undefined,
): ManifestEntry {
  // One shape for every entry (V8 keeps one hidden class): absent fields are left off by JSON.
  return { hash, size, key, stamp };
}

/**
 * Writes the manifest through a temp file and a rename: one entry per line, in the build's
 * output order (which is stable: the same site gives the same file). Not sorted: at 100k
 * outputs sorting cost as much as writing. Written in chunks, not built as one string: at 100k
 * outputs the lines and the text were ~30 MiB at the end of the build, its peak.
 */
function writeManifest(path: string, manifest: Manifest): void {
  replaceAtomically(path, (temp) => {
    const fd = openSync(temp, 'w');
    try {
      let chunk = '{\n';
      let first = true;
      for (const [file, entry] of manifest) {
        chunk += `${first ? '' : ',\n'} ${JSON.stringify(file)}: ${JSON.stringify(entry)}`;
        first = false;
        if (chunk.length >= 65_536) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      writeSync(fd, `${chunk}\n}\n`);
    } finally {
      closeSync(fd);
    }
  });
}

function readManifest(path: string): Manifest {
  const manifest: Manifest = new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return manifest; // No manifest or an unreadable one: every file is new.
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return manifest;
  for (const [file, value] of Object.entries(parsed)) {
    // Older builds stored the hash alone, or no stamp: those files are rendered and written again.
    if (typeof value === 'string') manifest.set(file, { hash: value, size: -1 });
    else if (isEntry(value)) manifest.set(file, value);
  }
  return manifest;
}

function isEntry(value: unknown): value is ManifestEntry {
  const entry = value as ManifestEntry;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.hash === 'string' &&
    typeof entry.size === 'number' &&
    (entry.key === undefined || typeof entry.key === 'string') &&
    (entry.stamp === undefined || typeof entry.stamp === 'string')
  );
}

/**
 * The live build's files as the intact check needs them, or null: no live build, or a file
 * without a stamp. One string (path, size and stamp of each, every field ended by NUL, which no
 * path holds): a caller that checks again while the manifest is unchanged (the replay record)
 * keeps this instead of parsing the whole manifest each time (2.7 MB of JSON at 10k stories:
 * ~70 ms), and one string parsed from the record is one object to the garbage collector where
 * 42k strings at 10k stories cost a replay ~40 ms of collection.
 */
export function liveBuildStamps(outDir: string): string | null {
  const layout = outputLayout(outDir);
  const liveId = readLiveId(layout);
  if (!liveId) return null;
  const fields: string[] = [];
  for (const [path, entry] of readManifest(manifestFile(layout, liveId))) {
    if (entry.stamp === undefined) return null;
    fields.push(`${path}\0${entry.size}\0${entry.stamp}\0`);
  }
  return fields.length > 0 ? fields.join('') : null;
}

/**
 * Whether every file of the live build is still the one its manifest describes (a stat each, no
 * read): what a build that renders nothing would find, with nothing to repair.
 */
export function isLiveBuildIntact(outDir: string, stamps = liveBuildStamps(outDir)): boolean {
  const layout = outputLayout(outDir);
  const liveId = readLiveId(layout);
  if (!liveId || typeof stamps !== 'string') return false;
  const intact = inFolder(join(layout.builds, liveId), (reach) => {
    let at = 0;
    while (at < stamps.length) {
      const sizeAt = stamps.indexOf('\0', at) + 1;
      const stampAt = stamps.indexOf('\0', sizeAt) + 1;
      const end = stamps.indexOf('\0', stampAt);
      if (sizeAt === 0 || stampAt === 0 || end < 0) return false; // a damaged record: not intact
      const path = stamps.slice(at, sizeAt - 1);
      const size = Number(stamps.slice(sizeAt, stampAt - 1));
      if (!isIntact(`${reach}${path}`, { size, stamp: stamps.slice(stampAt, end) })) return false;
      at = end + 1;
    }
    return true;
  });
  return intact && lstatSync(layout.out, { throwIfNoEntry: false })?.isSymbolicLink() === true;
}
