import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stamp } from '../../src/pipeline/output-file.ts';
import { type FileWriter, type WriteJob, writePool } from '../../src/pipeline/write-pool.ts';
import { tempDir } from '../helpers/temp.ts';
import { mountTmpfs } from '../helpers/tmpfs.ts';

const sha1 = (bytes: Uint8Array | string) => createHash('sha1').update(bytes).digest('base64url');

/** A writer as a two-thread build starts one. */
function startWriter(): FileWriter {
  const pool = writePool(2);
  if (!pool) throw new Error('build.threads: 2 has a thread to spare for writing');
  return pool.start();
}

/** Sends every job, waiting whenever the writer holds all it may, as the build's writer does. */
async function sendAll(writer: FileWriter, jobs: WriteJob[]): Promise<void> {
  for (const job of jobs) {
    writer.send(job);
    if (!writer.hasRoom()) await writer.next();
  }
  await writer.finish();
}

describe('the writer thread', () => {
  it('writes each file with the bytes, hash, size and stamp the build would give it', async () => {
    const stage = tempDir('bs-writer-');
    // More files and text than a few batches hold: the writer is waited for along the way.
    const jobs: WriteJob[] = Array.from({ length: 300 }, (_, index) => ({
      index,
      contents: `<p>Story ${index}: Zürich — 東京 ${'ink '.repeat(index * 40)}</p>\n`,
      liveHash: null,
      target: join(stage, 'articles', `story-${index}`, 'index.html'),
    }));
    jobs.push({
      index: 300,
      contents: new Uint8Array([0, 1, 2, 255]),
      liveHash: null,
      target: join(stage, 'a.bin'),
    });
    // The live build already holds these bytes: hashed, not written.
    jobs.push({ index: 301, contents: 'kept', liveHash: sha1('kept'), target: join(stage, 'kept.txt') });
    const writer = startWriter();
    try {
      await sendAll(writer, jobs);
      const results = writer.take();
      expect(results.map((r) => r.index).sort((a, b) => a - b)).toEqual(jobs.map((job) => job.index));
      expect(writer.take(), 'each result is handed over once').toEqual([]);
      for (const result of results) {
        const job = jobs[result.index] as WriteJob;
        const bytes = typeof job.contents === 'string' ? Buffer.from(job.contents, 'utf8') : job.contents;
        expect(result, job.target).toMatchObject({ hash: sha1(bytes), size: bytes.length });
        if (result.index === 301) {
          expect(result.written).toBe(false);
          expect(existsSync(job.target)).toBe(false);
          continue;
        }
        expect(result.written, job.target).toBe(true);
        expect(readFileSync(job.target), job.target).toEqual(Buffer.from(bytes));
        expect(result.stamp, job.target).toBe(stamp(statSync(job.target, { bigint: true })));
      }
    } finally {
      await writer.stop();
    }
  });

  it('fails with the full disk it meets (ENOSPC, as a build in one thread would), and writes nothing after', async () => {
    const disk = tempDir('bs-writer-full-');
    const unmount = mountTmpfs(disk, '64k');
    if (!unmount) return; // Cannot mount here (not root): the CLI's disk-full tests skip alike.
    const writer = startWriter();
    const page = 'x'.repeat(16 * 1024);
    const jobs = Array.from({ length: 40 }, (_, index) => ({
      index,
      contents: page,
      liveHash: null,
      target: join(disk, `page-${index}`, 'index.html'),
    }));
    try {
      const failure = await sendAll(writer, jobs).then(
        () => null,
        (error: NodeJS.ErrnoException) => error,
      );
      expect(failure?.code).toBe('ENOSPC');
      expect(() =>
        writer.send({ index: 99, contents: 'late', liveHash: null, target: join(disk, 'late') }),
      ).toThrow(failure as Error);
      await expect(writer.finish()).rejects.toBe(failure);
      expect(existsSync(join(disk, 'late'))).toBe(false);
    } finally {
      await writer.stop();
      unmount();
    }
  });

  it('is not started for a build of one thread', () => {
    expect(writePool(1)).toBeUndefined();
    expect(writePool(2)?.minJobs).toBe(1);
  });
});
