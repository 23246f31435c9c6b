import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutputs } from '../../src/pipeline/output.ts';
import { tempDir } from '../helpers/temp.ts';

/** Polls until `done` (a detached process works at its own pace); false after `seconds`. */
async function eventually(done: () => boolean, seconds = 60): Promise<boolean> {
  for (let waited = 0; waited < seconds * 10; waited++) {
    if (done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return done();
}

describe('writeOutputs with a trash folder', () => {
  it('moves the replaced build out of the builds folder at once; a detached process removes it', async () => {
    const root = tempDir('bs-trash-');
    const out = join(root, 'out');
    const trash = join(root, '.broadsheet', 'trash');
    const files = (text: string) =>
      Array.from({ length: 50 }, (_, i) => ({ path: `articles/s${i}/index.html`, contents: `${text} ${i}` }));
    writeOutputs(out, files('first'), undefined, { trash });
    const builds = join(dirname(out), '.out.builds');
    const firstBuild = readdirSync(builds).find((name) => /^b[0-9a-z]+$/.test(name));
    writeOutputs(out, files('second'), undefined, { trash });
    // current, the live build and its manifest: the replaced one is gone from here already.
    expect(readdirSync(builds)).toHaveLength(3);
    expect(readdirSync(builds)).not.toContain(firstBuild);
    expect(readFileSync(join(out, 'articles/s7/index.html'), 'utf8')).toBe('second 7');
    expect(existsSync(trash)).toBe(true);
    expect(await eventually(() => readdirSync(trash).length === 0)).toBe(true);
  });
});
