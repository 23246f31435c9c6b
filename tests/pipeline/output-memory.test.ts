import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutputs } from '../../src/pipeline/output.ts';
import type { PlannedOutput } from '../../src/types.ts';
import { heapNow } from '../helpers/heap.ts';
import { tempDir } from '../helpers/temp.ts';

// The writer runs at the end of a build, with every item and planned output still held: what it
// keeps per output while it writes is on the build's peak (100k outputs at 100k stories).

const OUTPUTS = 20_000;

describe('what the writer keeps while it writes', () => {
  it('per output: its manifest entry, not copies of its paths', () => {
    const out = join(tempDir('bs-out-memory-'), 'out');
    const heapAt: number[] = [];
    // Long paths (folders of 150 characters), as a site's article folders can be.
    const outputs: PlannedOutput[] = Array.from({ length: OUTPUTS }, (_, n) => ({
      path: `${String(n % 50).padStart(150, 's')}/page-${n}.html`,
      key: `k${n}`,
      render: () => {
        if (n === 0 || n === OUTPUTS - 1) heapAt.push(heapNow());
        return 'x';
      },
    }));
    expect(writeOutputs(out, outputs).written).toBe(OUTPUTS);
    const perOutput = ((heapAt[1] as number) - (heapAt[0] as number)) / OUTPUTS;
    // The manifest entry (content hash, size, key) and its map slot are ~140 bytes; the target
    // and temp paths of every written output were ~400 more.
    expect(perOutput).toBeLessThan(250);
    expect(readdirSync(join(out, String(0).padStart(150, 's'))).filter((f) => f.endsWith('.tmp'))).toEqual(
      [],
    );
  });
});
