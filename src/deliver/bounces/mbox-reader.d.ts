/** mbox-reader ships no types: the part we use (see its README). */
declare module 'mbox-reader' {
  import type { Readable } from 'node:stream';
  export function mboxReader(
    input: Readable,
    options?: { gz?: boolean },
  ): AsyncGenerator<{ returnPath: string | null; time: Date | false; content: Buffer }>;
}
