import { SingleBar } from 'cli-progress';
import type { Progress } from '../pipeline/host.ts';

export type { Progress };

const SILENT: Progress = { tick: () => {}, stop: () => {} };

/**
 * A progress bar on stderr for long work (parsing thousands of files, sending). Silent when
 * quiet or when stderr is not a terminal (cron, CI, pipes), so logs stay clean.
 */
export function startProgress(label: string, total: number, quiet: boolean): Progress {
  if (quiet || !process.stderr.isTTY || total < 50) return SILENT;
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total} {percentage}% | {duration_formatted}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0);
  return { tick: (n = 1) => bar.increment(n), stop: () => bar.stop() };
}
