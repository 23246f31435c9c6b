import {
  type Dirent,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, sep } from 'node:path';
import type { LoadedConfig } from '../config/files.ts';
import { codeVersion } from './code-version.ts';
import type { PipelineHost } from './host.ts';
import { inFolder } from './in-folder.ts';
import type { NewsletterOptions } from './newsletter.ts';
import { isLiveBuildIntact, liveBuildStamps, outputLayout, writeFileAtomic } from './output.ts';
import { hashFile } from './output-file.ts';
import { SETTLE_MS, statStamp } from './settle.ts';

/**
 * A no-change `broadsheet build` as a new process: what it would do is known without loading a
 * story. A build is a function of its inputs (article folder, config, templates, the state file,
 * the live out/ and its manifest), the code, the options and, through the newsletter window, the
 * clock. When one build ran from a snapshot of all that and left the state and out/ exactly as it
 * found them (it changed nothing), a later build from an equal snapshot does the same again: it
 * is replayed from the record (its report, diagnostics and merge lines), after checking every
 * output file is still the one the manifest describes. Anything else (any stat differs, a file
 * too fresh to trust its stamp whose bytes differ, another day for a daily edition, a
 * since-last window that now reaches a story no edition holds) runs the build. The record is
 * disposable: it lives beside the parse cache, and a missing or unreadable one means a full build.
 */
export interface UnchangedRecord<Report> {
  snapshot: string;
  /**
   * The configuration the build ran with. A replay in a new process (replay.ts) takes it from
   * here instead of validating the config file again: the file's stamp is in the snapshot.
   */
  loaded: LoadedConfig;
  /** The live build's files as `isLiveBuildIntact` checks them (see `liveBuildStamps`). */
  published?: string;
  /** Files whose bytes the snapshot hashed (too fresh to trust their stamp then): hashed again to compare. */
  hashed: string[];
  report: Report;
  /** Lines the build logged (merges), in order. */
  logged: string[];
  /**
   * The build times (ms since the epoch, `until` excluded; null: no end) at which the recorded
   * build does the same: a since-last newsletter window ends at the build's time, so its record
   * holds only until an unrecorded story's date is reached. Absent: the snapshot's time key decides.
   */
  during?: { from: number; until: number | null };
}

const RECORD_VERSION = 4;

/** A snapshot of everything a build reads, as one string (equal strings: equal builds). */
export interface Snapshot {
  text: string;
  /** Files too fresh to trust by stamp, and files asked for: their bytes were hashed into the text. */
  hashed: string[];
  /** Files modified since this (ms since the epoch) were hashed. */
  settledBefore: number;
}

/** What a snapshot reads from the host: the config, the clock and where things are; no store opened. */
export type SnapshotHost = Pick<PipelineHost, 'loaded' | 'now' | 'path' | 'lockPath'>;

export interface SnapshotOptions {
  settledBefore?: number;
  hashAlso?: ReadonlySet<string>;
}

/**
 * The snapshot of the build `host` and `options` would run now. Files modified within the last
 * SETTLE_MS carry a hash of their bytes (a rewrite in the same clock tick keeps size and times).
 */
export function takeSnapshot(
  host: SnapshotHost,
  options: BuildInputs,
  { settledBefore = settledSince(host), hashAlso = new Set() }: SnapshotOptions = {},
): Snapshot {
  const lines: string[] = [];
  const hashed = snapshotInto({ add: (line) => lines.push(line), differs: false }, host, options, {
    settledBefore,
    hashAlso,
  });
  return { text: lines.join('\n'), hashed, settledBefore };
}

/**
 * Whether the snapshot taken now would equal `expected`, compared line by line as it is taken:
 * no line is kept (8.4k lines at 10k stories were ~40 ms of a replay's garbage collection), and
 * the first difference stops the walk.
 */
export function snapshotEquals(
  host: SnapshotHost,
  options: BuildInputs,
  expected: string,
  hashAlso: ReadonlySet<string>,
): boolean {
  let at = 0;
  const sink: LineSink = {
    differs: false,
    add(line) {
      const end = at + line.length;
      if (sink.differs || !expected.startsWith(line, at) || (end < expected.length && expected[end] !== '\n'))
        sink.differs = true;
      at = end + 1;
    },
  };
  snapshotInto(sink, host, options, { settledBefore: settledSince(host), hashAlso });
  return !sink.differs && at === expected.length + 1;
}

/** Where a snapshot's lines go; `differs` set stops the walk (the rest cannot make it equal). */
interface LineSink {
  add(line: string): void;
  differs: boolean;
}

/** Writes the snapshot's lines to `sink`; returns the files whose bytes it hashed. */
function snapshotInto(
  sink: LineSink,
  host: SnapshotHost,
  options: BuildInputs,
  { settledBefore, hashAlso }: Required<SnapshotOptions>,
): string[] {
  const { config } = host.loaded;
  const hashed: string[] = [];
  const file = (path: string, stats: Stats | undefined): void => {
    if (!stats) {
      sink.add(`${path}\t-`);
      return;
    }
    let line = `${path}\t${statStamp(stats)}`;
    if (stats.isFile() && (Math.max(stats.mtimeMs, stats.ctimeMs) >= settledBefore || hashAlso.has(path))) {
      hashed.push(path);
      // Streamed: the folder holds media files too (an episode can be hundreds of megabytes).
      line += `\t${hashFile(path, 'sha1', 'base64url').hash}`;
    }
    sink.add(line);
  };
  sink.add(
    JSON.stringify({
      version: RECORD_VERSION,
      code: codeVersion(),
      node: process.versions.node,
      icu: process.versions.icu ?? '',
      config,
      root: host.loaded.root,
      file: host.loaded.file,
      options: {
        newsletter: options.newsletter,
        period: options.period,
        since: options.since,
        recordEdition: options.recordEdition,
        rebuild: options.rebuild,
        previewUnsent: options.previewUnsent,
      },
      time: timeKey(host, options),
    }),
  );
  if (host.loaded.file) file(host.loaded.file, statSync(host.loaded.file, { throwIfNoEntry: false }));
  walk(host.path(config.paths.articles), sink, file);
  walk(host.path(config.paths.templates), sink, file);
  const state = host.path(config.paths.state);
  for (const suffix of ['', '-wal', '-journal'])
    file(`${state}${suffix}`, statSync(`${state}${suffix}`, { throwIfNoEntry: false }));
  const layout = outputLayout(host.path(config.paths.out));
  let live = '-';
  try {
    live = readlinkSync(layout.current);
  } catch {
    // No build yet.
  }
  sink.add(`live\t${live}`);
  const manifest = join(layout.builds, `${live}.manifest.json`);
  file(manifest, statSync(manifest, { throwIfNoEntry: false }));
  return hashed;
}

/**
 * Files changed after this may still change within one tick of the file system's clock. The
 * build lock was just written: its mtime is the file system's now, which a process clock moved
 * by faketime (or a skewed network mount) is not.
 */
function settledSince(host: SnapshotHost): number {
  const lock = statSync(host.lockPath('build'), { throwIfNoEntry: false });
  return Math.min(Date.now(), lock?.mtimeMs ?? Date.now()) - SETTLE_MS;
}

/** `settledSince` at the end of a build: the file system's clock read from a file written now. */
function settledNow(host: SnapshotHost): number {
  const probe = `${recordPathFor(host)}.${process.pid}.clock`;
  writeFileSync(probe, '');
  const { mtimeMs } = statSync(probe);
  rmSync(probe, { force: true });
  return Math.min(Date.now(), mtimeMs) - SETTLE_MS;
}

/**
 * What the clock changes in a build whose inputs and state are unchanged: only the newsletter's
 * window (first-seen and edited dates are given to new or changed stories only; an empty feed,
 * dated by the build's time, needs an archive with no story, whose record runPipeline keeps for
 * its instant only). A
 * daily window is the same all day, a weekly one all week; a since-last window ends at the
 * build's time, but while it reaches no new story the build does the same (the record's
 * `during`); a --since window is tied to its instant (SOURCE_DATE_EPOCH), and without a
 * newsletter step the clock changes nothing.
 */
function timeKey(host: SnapshotHost, options: BuildInputs): string {
  const { config } = host.loaded;
  if (options.newsletter === false) return 'no newsletter';
  const period = options.period ?? config.newsletter.period;
  // The site's zone only where a day or week is named: the first zone a process sets up costs
  // ~20 ms of ICU, a tenth of a replayed build.
  const local = () => host.now.setZone(config.site.timeZone);
  if (options.since === undefined && period === 'daily') return `day ${local().toISODate()}`;
  if (options.since === undefined && period === 'weekly')
    return `week ${local().toISOWeekDate()?.slice(0, 8)}`;
  // Judged by the record's `during`: the stretch of time in which the build makes no edition.
  if (options.since === undefined && period === 'since-last') return 'since-last';
  return `instant ${host.now.toMillis()}`;
}

/** The build times at which a build recorded now does the same (see UnchangedRecord.during). */
function replayableDuring(
  host: SnapshotHost,
  options: BuildInputs,
  steadyUntil: number | null | undefined,
): UnchangedRecord<unknown>['during'] {
  if (timeKey(host, options) !== 'since-last') return undefined;
  const now = host.now.toMillis();
  // No steady stretch known (the first edition's window moves with the clock): this instant only.
  return { from: now, until: steadyUntil === undefined ? now + 1 : steadyUntil };
}

function isDuring(now: number, during: UnchangedRecord<unknown>['during']): boolean {
  return !during || (during.from <= now && (during.until === null || now < during.until));
}

/** Every entry under `folder` (sorted, hidden ones too: a stat says more than a name filter). */
function walk(folder: string, sink: LineSink, file: (path: string, stats: Stats | undefined) => void): void {
  if (sink.differs) return;
  inFolder(folder, (reach) => walkBelow(folder, reach, sink, file, new Set()));
}

/**
 * `walk` below `folder`, which is `reach` from the working directory ('' or ending in a
 * separator). `listed`: the real paths of the folders walked so far, as listArticleFiles keeps
 * them: a symlink back up the tree (`self -> .`) is walked once, not until the path is too long.
 */
function walkBelow(
  folder: string,
  reach: string,
  sink: LineSink,
  file: (path: string, stats: Stats | undefined) => void,
  listed: Set<string>,
): void {
  let entries: Dirent[];
  try {
    const here = reach === '' ? '.' : reach;
    const real = realpathSync(here);
    if (listed.has(real)) return;
    listed.add(real);
    entries = readdirSync(here, { withFileTypes: true });
  } catch {
    file(folder, undefined);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (sink.differs) return;
    const path = join(folder, entry.name);
    // Symlinks are followed (the bench and users link article folders): the target's stat. A
    // link that loops (ELOOP) or an entry that cannot be read is in the snapshot as one with none.
    let stats: Stats | undefined;
    try {
      stats = statSync(`${reach}${entry.name}`, { throwIfNoEntry: false });
    } catch {
      stats = undefined;
    }
    if (stats?.isDirectory()) walkBelow(path, `${reach}${entry.name}${sep}`, sink, file, listed);
    else file(path, stats);
  }
}

/**
 * The snapshot of the build about to run and, when the last build that changed nothing ran from
 * this very snapshot and every published file is intact, that build's record to replay.
 */
export function checkUnchanged<Report>(
  host: SnapshotHost,
  options: BuildInputs,
  record: UnchangedRecord<Report> | null = readRecord(recordPathFor(host)),
): { snapshot: Snapshot; record: UnchangedRecord<Report> | null } {
  const snapshot = takeSnapshot(host, options, { hashAlso: new Set(record?.hashed ?? []) });
  if (record?.snapshot !== snapshot.text || !isDuring(host.now.toMillis(), record.during))
    return { snapshot, record: null };
  // Every published file still the one written (a build repairs a hand edit in out/).
  const intact = isLiveBuildIntact(host.path(host.loaded.config.paths.out), record.published);
  return { snapshot, record: intact ? record : null };
}

/**
 * `record` when it can be replayed now: checkUnchanged's answer without the snapshot's text, for
 * a caller that runs a full build (with its own snapshot) when the answer is no.
 */
export function replayable<Report>(
  host: SnapshotHost,
  options: BuildInputs,
  record: UnchangedRecord<Report>,
): UnchangedRecord<Report> | null {
  const same =
    isDuring(host.now.toMillis(), record.during) &&
    snapshotEquals(host, options, record.snapshot, new Set(record.hashed)) &&
    isLiveBuildIntact(host.path(host.loaded.config.paths.out), record.published);
  return same ? record : null;
}

/** The record at `path`, or null: none, a torn one, or one an older version wrote. */
export function readRecord<Report>(path: string): UnchangedRecord<Report> | null {
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as UnchangedRecord<Report>;
    return typeof record.snapshot === 'string' && record.loaded ? record : null;
  } catch {
    return null;
  }
}

/**
 * After a build that wrote and removed nothing: records it for replay when it also left every
 * input, the state and out/ as its snapshot found them; otherwise drops any older record.
 */
export function recordIfUnchanged<Report>(
  host: SnapshotHost,
  options: BuildInputs,
  before: Snapshot,
  report: Report,
  logged: string[],
  steadyUntil?: number | null,
): void {
  const after = takeSnapshot(host, options, {
    settledBefore: before.settledBefore,
    hashAlso: new Set(before.hashed),
  });
  if (after.text !== before.text) return;
  // Recorded as a snapshot taken now: a file hashed because it was fresh when the build began
  // and settled since (the state file the build before wrote) is then checked by its stamp
  // alone, not read again on every replay (45 MB at 10k stories). Its stamp is unchanged and
  // its bytes were just compared: a write since would have given it a new mtime.
  const now = takeSnapshot(host, options, { settledBefore: settledNow(host) });
  if (stamps(now.text) !== stamps(before.text)) return;
  const during = replayableDuring(host, options, steadyUntil);
  // The snapshot holds the manifest's stamp: while it matches, these are the manifest's files.
  const published = liveBuildStamps(host.path(host.loaded.config.paths.out));
  if (published === null) return;
  saveRecord(recordPathFor(host), {
    snapshot: now.text,
    loaded: host.loaded,
    published,
    hashed: now.hashed,
    report,
    logged,
    ...(during ? { during } : {}),
  });
}

/** A snapshot's text without the hashes of fresh files. */
function stamps(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split('\t').slice(0, 2).join('\t'))
    .join('\n');
}

/** The options that change what a build does (not how it prints). */
export type BuildInputs = NewsletterOptions & { newsletter?: boolean };

/**
 * Writes the record through a temp file and a rename (a torn record would only be ignored); a
 * failed write (a full disk) leaves no temp file behind.
 */
function saveRecord<Report>(recordPath: string, record: UnchangedRecord<Report>): void {
  writeFileAtomic(recordPath, JSON.stringify(record));
}

/** Drops the record: the build changed something, so the next one must run. */
export function forgetRecord(host: SnapshotHost): void {
  rmSync(recordPathFor(host), { force: true });
}

function recordPathFor(host: SnapshotHost): string {
  return recordPathBeside(host.path(host.loaded.config.paths.cache));
}

/** The record's file: beside the parse cache (its resolved path), disposable like it. */
export function recordPathBeside(cache: string): string {
  return `${cache}.last-build.json`;
}
