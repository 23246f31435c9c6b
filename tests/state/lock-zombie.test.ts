import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, endedByStat, processRuns, processStamp } from '../../src/state/lock.ts';
import { tempDir } from '../helpers/temp.ts';

// A build killed together with its parent (`timeout -s KILL`, a cancelled CI job) stays a
// zombie until something collects its exit status: init does, soon; a container's first
// process may never. Its pid still answers signal 0, so every build after it said "another
// build is running". A zombie is made here on purpose: `sleep 0.1` started in the background
// by a shell that then becomes `sleep 30`, which never collects it.

const linux = processStamp(process.pid).start !== undefined;

function stateOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** A zombie's pid, and the process that keeps it one (to stop after). */
async function zombie(): Promise<{ pid: number; keeper: ReturnType<typeof spawn> }> {
  const keeper = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pid = await new Promise<number>((resolve) => {
    keeper.stdout?.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim())));
  });
  // Waits as long as it takes (a loaded machine is slow to run `sleep 0.1`): no time is asserted.
  while (stateOf(pid) !== 'Z') await new Promise((resolve) => setTimeout(resolve, 20));
  return { pid, keeper };
}

describe.skipIf(!linux)('a lock held by a build that has ended as a zombie', () => {
  it('is taken over: a zombie does not run', async () => {
    const { pid, keeper } = await zombie();
    try {
      expect(processRuns(pid)).toBe(false);
      // Exactly as the killed build left it: its own pid, boot and start time.
      const path = join(tempDir('bs-lock-zombie-'), 'build.lock');
      writeFileSync(path, JSON.stringify({ pid, host: hostname(), ...processStamp(pid) }));
      acquireLock(path, 'build').release();
    } finally {
      keeper.kill();
    }
  });

  it('a live process still runs', () => {
    expect(processRuns(process.pid)).toBe(true);
    expect(processRuns(1)).toBe(true);
  });
});

describe.skipIf(!linux)('a process whose exit has begun', () => {
  // The kernel sets PF_EXITING (0x4 in the flags, field 9) when the exit starts; a SIGKILLed
  // build stays in state R or D, answering signal 0, while its memory is torn down. That instant
  // cannot be held still in a test, so its /proc line is this process's own with the flag set.
  const own = readFileSync('/proc/self/stat', 'utf8');
  const at = own.lastIndexOf(')') + 2;
  const withFields = (change: (fields: string[]) => void): string => {
    const fields = own.slice(at).split(' ');
    change(fields);
    return own.slice(0, at) + fields.join(' ');
  };

  it('has ended; a running process, a zombie and a dead one read as before', () => {
    expect(endedByStat(own), 'this process runs').toBe(false);
    const exiting = withFields((fields) => {
      fields[6] = String(Number(fields[6]) | 0x4);
    });
    expect(endedByStat(exiting)).toBe(true);
    expect(endedByStat(withFields((fields) => (fields[0] = 'Z')))).toBe(true);
    expect(endedByStat(withFields((fields) => (fields[0] = 'X')))).toBe(true);
    // A command name with spaces and parentheses does not shift the fields.
    const odd = `${own.slice(0, own.indexOf('('))}(a) b (c)${own.slice(own.lastIndexOf(')'))}`;
    expect(endedByStat(odd)).toBe(false);
  });
});
