import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

/** Another process holds the lock: its pid, so the message can name it. */
export class LockedError extends Error {
  constructor(
    readonly what: string,
    readonly pid: number,
    readonly host: string,
  ) {
    super(
      `another ${what} is running (pid ${pid}${host === hostname() ? '' : ` on ${host}`}); wait for it to finish`,
    );
  }
}

/** The lock file for `what` ("build", "send") of the publication whose state file is `statePath`. */
export function lockFileBeside(statePath: string, what: string): string {
  return join(dirname(statePath), `${what}.lock`);
}

export interface Lock {
  release(): void;
}

/**
 * Takes the lock file at `path` for `what` ("build", "send"), or throws LockedError when a live
 * process holds it. The file is created exclusively (O_EXCL) and holds the holder's pid and
 * host: a lock left by a process that died (kill -9, power loss) is seen as stale, because no
 * process has that pid, and taken over. One machine's view: a state folder shared between
 * machines over a network file system needs the PostgreSQL state instead.
 */
export function acquireLock(path: string, what: string): Lock {
  mkdirSync(dirname(path), { recursive: true });
  // The lock file appears whole (written to a temp file, then hard-linked into place, which
  // fails if it exists), so a reader never finds it empty while its holder is alive.
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    // Inside the try: on a full disk the write fails after creating the file, which must go too.
    writeFileSync(temp, JSON.stringify({ pid: process.pid, host: hostname(), ...processStamp(process.pid) }));
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readHolder(path);
      if (holder && isAlive(holder)) throw new LockedError(what, holder.pid, holder.host);
      if (attempt === 2)
        throw new Error(
          `could not take the ${what} lock ${path}: it keeps changing; is another ${what} starting?`,
        );
      // Stale: its process is gone (kill -9, power loss). Remove it and try again.
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(temp, { force: true });
  }
  let held = true;
  return {
    release: () => {
      if (!held) return;
      held = false;
      // Only our own lock: a holder that was wrongly judged stale must not lose theirs.
      if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
    },
  };
}

interface Holder {
  pid: number;
  host: string;
  /** Linux: the kernel's boot id when the lock was taken (absent from older locks, other systems). */
  boot?: string;
  /** Linux: when the holder started, in clock ticks since boot (/proc/<pid>/stat, field 22). */
  start?: string;
}

function readHolder(path: string): Holder | null {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return null;
    return {
      pid: value.pid,
      host: value.host,
      ...(typeof value.boot === 'string' ? { boot: value.boot } : {}),
      ...(typeof value.start === 'string' ? { start: value.start } : {}),
    };
  } catch {
    return null;
  }
}

/**
 * A holder on another host cannot be checked from here: taken as alive. On this host, a live
 * process with the holder's pid is the holder only if it started when the holder did, in this
 * boot: after a power cut mid-build, a daemon started at boot often takes the low pid the build
 * had, and every build after it refused to run ("another build is running") until someone
 * deleted the lock by hand.
 */
function isAlive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  if (!processRuns(holder.pid)) return false;
  const now = processStamp(holder.pid);
  if (holder.boot !== undefined && now.boot !== undefined && holder.boot !== now.boot) return false;
  if (holder.start !== undefined && now.start !== undefined && holder.start !== now.start) return false;
  return true;
}

/**
 * Whether a process with this id runs on this machine (signal 0 checks without sending). A
 * zombie does not: it has ended and only waits for its parent to collect its exit status. A
 * build killed with its parent (`timeout -s KILL`, a CI job cancelled) is one until init
 * reaps it, and for good in a container whose first process never does: every build after
 * it said "another build is running" (found by killing builds and starting the next at once).
 */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !hasEnded(pid);
}

/** Linux: the process has ended or is ending, by /proc/<pid>/stat (see `endedByStat`). */
function hasEnded(pid: number): boolean {
  try {
    return endedByStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    // No /proc (not Linux), or the process is gone between the two looks: the signal decides.
    return false;
  }
}

/** The kernel's PF_EXITING task flag: set when a process's exit begins. */
const PF_EXITING = 0x4;

/**
 * Whether a /proc/<pid>/stat line is of a process that has ended: a zombie (Z) or dead (X) by its
 * state (field 3), or one whose exit has begun, by PF_EXITING in its flags (field 9). A build
 * killed with SIGKILL keeps answering signal 0 for the milliseconds the kernel takes to tear it
 * down (its memory, its threads), in state R or D: a build started in that instant said "another
 * build is running". Such a process never runs its own code again.
 */
export function endedByStat(stat: string): boolean {
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const flags = Number(fields[6]);
  return state === 'Z' || state === 'X' || (Number.isSafeInteger(flags) && (flags & PF_EXITING) !== 0);
}

/** This boot and the start time of process `pid`, where the system says (Linux's /proc). */
export function processStamp(pid: number): { boot?: string; start?: string } {
  const stamp: { boot?: string; start?: string } = {};
  try {
    stamp.boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // Not Linux (or no /proc): the pid alone decides.
  }
  try {
    // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    if (start) stamp.start = start;
  } catch {
    // No such process, or no /proc.
  }
  return stamp;
}
