import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEGACY_MANIFEST, liveManifestPath, writeOutputs } from '../../src/pipeline/output.ts';
import type { PlannedOutput } from '../../src/types.ts';
import { tempDir } from '../helpers/temp.ts';

const freshDir = () => join(tempDir('bs-planned-'), 'out');

/** A planned output that counts how often it was rendered. */
function planned(path: string, key: string, text: string, calls: string[]): PlannedOutput {
  return {
    path,
    key,
    render: () => {
      calls.push(path);
      return text;
    },
  };
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('writeOutputs with render keys', () => {
  it('does not render an output whose key and file are as the last build left them', () => {
    const out = freshDir();
    const calls: string[] = [];
    writeOutputs(out, [planned('a.xml', 'k1', 'A', calls), planned('b.xml', 'k1', 'B', calls)]);
    expect(calls).toEqual(['a.xml', 'b.xml']);
    calls.length = 0;
    const summary = writeOutputs(out, [
      planned('a.xml', 'k1', 'A', calls),
      planned('b.xml', 'k2', 'B2', calls),
    ]);
    expect(calls).toEqual(['b.xml']);
    expect(summary).toEqual({ written: 1, unchanged: 1, removed: 0, rendered: 1 });
    expect(readFileSync(join(out, 'b.xml'), 'utf8')).toBe('B2');
  });

  it('a new key with the same bytes renders but does not rewrite the file', () => {
    const out = freshDir();
    const calls: string[] = [];
    writeOutputs(out, [planned('a.xml', 'k1', 'same', calls)]);
    const summary = writeOutputs(out, [planned('a.xml', 'k2', 'same', calls)]);
    expect(summary).toMatchObject({ written: 0, unchanged: 1, rendered: 1 });
    const manifest = JSON.parse(readFileSync(liveManifestPath(out) ?? '', 'utf8'));
    expect(manifest['a.xml'].key).toBe('k2');
  });

  it('renders again when the file was deleted or changed size behind its back', () => {
    const out = freshDir();
    const calls: string[] = [];
    writeOutputs(out, [planned('a.xml', 'k', 'A', calls), planned('b.xml', 'k', 'B', calls)]);
    rmSync(join(out, 'a.xml'));
    writeFileSync(join(out, 'b.xml'), 'changed');
    calls.length = 0;
    writeOutputs(out, [planned('a.xml', 'k', 'A', calls), planned('b.xml', 'k', 'B', calls)]);
    expect(calls).toEqual(['a.xml', 'b.xml']);
    expect(readFileSync(join(out, 'a.xml'), 'utf8')).toBe('A');
    expect(readFileSync(join(out, 'b.xml'), 'utf8')).toBe('B');
  });

  it('a render that throws leaves out/ exactly as it was, with no temp files', () => {
    const out = freshDir();
    const calls: string[] = [];
    writeOutputs(out, [planned('a.xml', 'k1', 'A', calls)]);
    const before = allFiles(out);
    const manifest = readFileSync(liveManifestPath(out) ?? '', 'utf8');
    const failing: PlannedOutput = {
      path: 'z/broken.xml',
      key: 'k',
      render: () => {
        throw new Error('template exploded');
      },
    };
    expect(() =>
      writeOutputs(out, [
        planned('a.xml', 'k2', 'A2', calls),
        planned('n/new.xml', 'k', 'N', calls),
        failing,
      ]),
    ).toThrow(/template exploded/);
    expect(readFileSync(join(out, 'a.xml'), 'utf8')).toBe('A');
    expect(existsSync(join(out, 'n/new.xml'))).toBe(false);
    expect(allFiles(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(allFiles(out).filter((f) => !f.startsWith('n'))).toEqual(before);
    expect(readFileSync(liveManifestPath(out) ?? '', 'utf8')).toBe(manifest);
  });

  it('reads a manifest written by an older build (hash only) and renders everything once', () => {
    const out = freshDir();
    mkdirSync(out);
    writeFileSync(join(out, 'a.xml'), 'A');
    writeFileSync(join(out, LEGACY_MANIFEST), JSON.stringify({ 'a.xml': 'oldhash', 'gone.xml': 'h' }));
    writeFileSync(join(out, 'gone.xml'), 'stale');
    const calls: string[] = [];
    const summary = writeOutputs(out, [planned('a.xml', 'k', 'A', calls)]);
    expect(calls).toEqual(['a.xml']);
    expect(summary.removed).toBe(1);
    expect(existsSync(join(out, 'gone.xml'))).toBe(false);
  });
});
