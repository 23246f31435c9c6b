import { statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/cli/context.ts';
import { openState } from '../../src/state/db.ts';
import { smallDisk } from '../helpers/tmpfs.ts';

// A state file on a full disk: SQLite reports "disk I/O error" when it cannot grow the WAL
// index, which names neither the cause nor the file. Run on a real full file system: a 256 KB
// tmpfs, where the machine lets this process mount one (root, outside a locked-down container).

const disk = smallDisk('bs-disk-full-', '256k');
const mountPoint = disk ?? '';

describe.skipIf(disk === null)('a state file on a full disk (a real tmpfs)', () => {
  it('fails to open as "the disk is full", naming the file, not as a bare "disk I/O error"', () => {
    const path = join(mountPoint, 'state.db');
    const db = openState(path);
    db.exec('CREATE TABLE t (x TEXT)');
    db.close();
    const { bavail, bsize } = statfsSync(mountPoint);
    try {
      writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(bavail * bsize));
    } catch {
      // Filled to the last block either way.
    }
    let failure: unknown;
    try {
      openState(path).close();
    } catch (error) {
      failure = error;
    }
    expect((failure as NodeJS.ErrnoException | undefined)?.code).toBe('ENOSPC');
    expect((failure as Error).message).toContain(path);
    expect(describeFailure(failure)).toMatch(
      /^the disk is full \(no space left on the disk that holds .*state\.db/,
    );
  });
});

describe('describeFailure on a SQLite I/O error', () => {
  it('says which disk to look at, with the code, instead of the bare message', () => {
    const error = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
    const message = describeFailure(error);
    expect(message).toContain('disk I/O error (SQLITE_IOERR_WRITE)');
    expect(message).toContain('free space');
  });
});
