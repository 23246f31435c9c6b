import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockedError } from '../../src/state/lock.ts';
import { tempDir } from '../helpers/temp.ts';

const repo = resolve(import.meta.dirname, '../..');
const bin = resolve(repo, 'src/cli/bin.js');

function publication(): string {
  const dir = tempDir('bs-lock-');
  cpSync(join(repo, 'articles'), join(dir, 'articles'), { recursive: true });
  return dir;
}

function broadsheet(dir: string, args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8' });
}

describe('one build and one send at a time', () => {
  it('a second build says another is running, with its pid, in one line, exit 2, and writes nothing', () => {
    const dir = publication();
    const held = acquireLock(join(dir, '.broadsheet/build.lock'), 'build');
    try {
      const second = broadsheet(dir, ['build']);
      expect(second.status).toBe(2);
      expect(second.stderr.trim()).toBe(
        `broadsheet: another build is running (pid ${process.pid}); wait for it to finish`,
      );
      expect(readdirSync(dir).sort()).toEqual(['.broadsheet', 'articles']);
    } finally {
      held.release();
    }
    expect(broadsheet(dir, ['build', '--quiet']).status).toBe(0);
  });

  it('a second send says another is running; a dry run is not held up', () => {
    const dir = publication();
    expect(broadsheet(dir, ['build', '--quiet']).status).toBe(0);
    expect(broadsheet(dir, ['subscribers', 'add', 'reader@example.com', '--quiet']).status).toBe(0);
    const held = acquireLock(join(dir, '.broadsheet/send.lock'), 'send');
    try {
      const second = broadsheet(dir, ['send']);
      expect(second.status).toBe(2);
      expect(second.stderr).toMatch(
        /^broadsheet: another send is running \(pid \d+\); wait for it to finish\n$/,
      );
      expect(broadsheet(dir, ['send', '--dry-run']).status).toBe(0);
    } finally {
      held.release();
    }
    const send = broadsheet(dir, ['send', '--quiet']);
    expect(send.status).toBe(0);
    expect(readdirSync(join(dir, 'outbox/2026-11-24'))).toHaveLength(1);
  });

  it('a lock left by a killed process (no such pid) is taken over; a live holder is not', () => {
    const dir = tempDir('bs-lock-');
    const path = join(dir, 'build.lock');
    // pid 2^22 + 1 is above Linux's pid_max default ceiling (4194304): no process has it.
    writeFileSync(path, JSON.stringify({ pid: 4_194_305, host: hostname() }));
    const lock = acquireLock(path, 'build');
    expect(() => acquireLock(path, 'build')).toThrow(LockedError);
    lock.release();
    acquireLock(path, 'build').release();
  });
});
