import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockedError, processStamp } from '../../src/state/lock.ts';
import { tempDir } from '../helpers/temp.ts';

// A build killed by a power cut leaves its lock file. After the reboot a daemon started early
// often has the build's (low) pid, so "is that pid alive?" said yes, and every build after it
// refused to run until someone deleted the lock by hand. The lock now records the boot and the
// holder's start time (Linux), and a live pid of another boot or another start is stale.
// pid 1 stands for "a live process that is not the holder": it runs on every Linux machine.

const linux = processStamp(process.pid).start !== undefined;

function lockWith(holder: Record<string, unknown>): string {
  const path = join(tempDir('bs-lock-reuse-'), 'build.lock');
  writeFileSync(path, JSON.stringify({ host: hostname(), ...holder }));
  return path;
}

describe.skipIf(!linux)('a lock whose pid now belongs to another process', () => {
  it('records this boot and the holder’s start time when taken', () => {
    const path = join(tempDir('bs-lock-stamp-'), 'build.lock');
    const lock = acquireLock(path, 'build');
    const stamp = processStamp(process.pid);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ pid: process.pid, host: hostname(), ...stamp });
    expect(stamp.boot).toMatch(/^[0-9a-f-]{36}$/);
    lock.release();
  });

  it('is taken over when the pid started at another time (reused)', () => {
    const { boot, start } = processStamp(1);
    const path = lockWith({ pid: 1, boot, start: `${Number(start) + 12345}` });
    acquireLock(path, 'build').release();
  });

  it('is taken over when it was taken in another boot', () => {
    const { start } = processStamp(1);
    const path = lockWith({ pid: 1, boot: '00000000-0000-4000-8000-000000000000', start });
    acquireLock(path, 'build').release();
  });

  it('still stops a build while its holder runs: same pid, boot and start', () => {
    const path = lockWith({ pid: 1, ...processStamp(1) });
    expect(() => acquireLock(path, 'build')).toThrow(LockedError);
  });

  it('a lock of the older shape (pid and host only) is judged by the pid, as before', () => {
    expect(() => acquireLock(lockWith({ pid: 1 }), 'build')).toThrow(LockedError);
  });
});
