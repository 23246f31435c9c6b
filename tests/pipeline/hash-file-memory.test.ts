import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashFile, readHead } from '../../src/pipeline/output-file.ts';
import { tempDir } from '../helpers/temp.ts';

/**
 * Hashing a file (media digests, the no-change snapshot of fresh article files) read it through
 * a fresh 1 MiB buffer per file: for a checkout of 100,000 articles built at once, 100 GB of
 * garbage. The buffers each call asks for are counted where Node makes them.
 */
const MiB = 1024 * 1024;

afterEach(() => {
  vi.restoreAllMocks();
});

function smallFiles(count: number): string[] {
  const dir = tempDir('bs-hash-memory-');
  return Array.from({ length: count }, (_, i) => {
    const path = join(dir, `story-${i}.txt`);
    writeFileSync(path, `Story ${i}\n\n${'A line of text. '.repeat(200 + i)}\n`);
    return path;
  });
}

describe('hashing files', () => {
  it('reuses one chunk buffer for any number of files, and hashes each right', () => {
    const files = smallFiles(200);
    const allocations = vi.spyOn(Buffer, 'allocUnsafe');
    const hashes = files.map((path) => hashFile(path, 'sha1', 'base64url'));
    const large = allocations.mock.calls.filter(([size]) => size >= MiB).length;
    expect(large).toBeLessThanOrEqual(1);
    files.forEach((path, i) => {
      const bytes = readFileSync(path);
      expect(hashes[i]).toEqual({
        hash: createHash('sha1').update(bytes).digest('base64url'),
        size: bytes.length,
      });
    });
  });

  it("reads a small picture's head into a buffer of its size, not the limit", () => {
    const [path] = smallFiles(1) as [string];
    const allocations = vi.spyOn(Buffer, 'allocUnsafe');
    const allocZeroed = vi.spyOn(Buffer, 'alloc');
    const head = readHead(path, 512 * 1024);
    expect(Buffer.from(head)).toEqual(readFileSync(path));
    const asked = [...allocations.mock.calls, ...allocZeroed.mock.calls].map(([size]) => size as number);
    expect(Math.max(0, ...asked)).toBeLessThanOrEqual(head.length);
    expect(Buffer.from(readHead(path, 10))).toEqual(readFileSync(path).subarray(0, 10));
  });
});
