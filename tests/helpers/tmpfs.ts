import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tempDir } from './temp.ts';

/**
 * A real small file system (a tmpfs of `size`, e.g. "256k", "160m") mounted on `folder`: what a
 * full disk is, for tests of one. Returns its unmount, or null where this process cannot mount
 * (not root, a locked-down container, not Linux): the test then skips.
 */
export function mountTmpfs(folder: string, size: string): (() => void) | null {
  if (process.platform !== 'linux') return null;
  mkdirSync(folder, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', folder], {
    stdio: 'ignore',
  });
  if (mounted.status !== 0) return null;
  // Lazy: a file a failed test left open must not keep the mount.
  return () => spawnSync('umount', ['-l', folder], { stdio: 'ignore' });
}

/** A new temp folder with a tmpfs of `size` on it until the test file ends, or null (see mountTmpfs). */
export function smallDisk(prefix: string, size: string): string | null {
  const folder = tempDir(prefix);
  const unmount = mountTmpfs(folder, size);
  if (!unmount) return null;
  afterAll(unmount);
  return folder;
}
