import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Tests of what the build keeps alive measure V8's heap after a full collection. Node gives no
// `gc` without --expose-gc on its command line; a context created after the flag is set has one.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection now (within the current job). */
export function heapNow(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Heap and off-heap memory (a large decoded file's text lives outside V8's heap) after a full collection now. */
export function memoryNow(): number {
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/**
 * Collects in later jobs: a WeakRef's target, and anything reached through one, is kept until
 * the job that read it ends.
 */
export async function collectLater(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
  }
}

/** Heap in use after full collections in later jobs (see collectLater). */
export async function heapLater(): Promise<number> {
  await collectLater();
  return process.memoryUsage().heapUsed;
}
