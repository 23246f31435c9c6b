import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.ts';

// bin.js runs the compiled dist/ only while it is current, else src/ through tsx. These tests
// drive the real bin.js and `npm run build` in a copy of the checkout, so they can age, edit and
// delete its files. A line bin.js cannot print on its own marks a run of dist/.
const repo = resolve(import.meta.dirname, '../..');
const MARK = '[ran dist/]';
let root: string;

beforeAll(() => {
  root = tempDir('broadsheet-startup-');
  for (const name of ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
    cpSync(join(repo, name), join(root, name), { recursive: true });
  }
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
  expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
  appendFileSync(join(root, 'dist/cli/main.js'), `\nprocess.stderr.write(${JSON.stringify(`${MARK}\n`)});\n`);
}, 120_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function broadsheet(args: string[]) {
  const run = spawnSync(process.execPath, [join(root, 'src/cli/bin.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  const ranDist = run.stderr.includes(MARK);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr.replace(`${MARK}\n`, ''), ranDist };
}

/** Runs `body` with `path` changed, then puts back its content (if a file) and its times. */
function withChange(path: string, change: () => void, body: () => void): void {
  const { atime, mtime } = statSync(path);
  const content = statSync(path).isFile() ? readFileSync(path) : undefined;
  try {
    change();
    body();
  } finally {
    if (content) writeFileSync(path, content);
    utimesSync(path, atime, mtime);
  }
}

describe('bin.js and dist/', () => {
  it('runs dist/ when it was built from the sources as they are', () => {
    const run = broadsheet(['--version']);
    expect(run).toMatchObject({ status: 0, stdout: '0.1.0\n', ranDist: true });
  });

  it('runs the edited source, not dist/, once a source file is edited', () => {
    const main = join(root, 'src/cli/main.ts');
    withChange(
      main,
      () =>
        writeFileSync(
          main,
          readFileSync(main, 'utf8').replace('Turn news articles', 'Edited: turn news articles'),
        ),
      () => {
        const run = broadsheet(['--help']);
        expect(run.ranDist).toBe(false);
        expect(run.stdout).toContain('Edited: turn news articles');
      },
    );
    expect(broadsheet(['--help']).ranDist).toBe(true);
  });

  it('does not run dist/ once a source file is only touched', () => {
    const file = join(root, 'src/render/rss.ts');
    withChange(
      file,
      () => {
        // Touched after dist/ was built, by the file system's clock (the process's may be faked).
        const later = new Date(statSync(join(root, 'dist/.stamp')).mtimeMs + 2_000);
        utimesSync(file, later, later);
      },
      () => expect(broadsheet(['--version'])).toMatchObject({ status: 0, stdout: '0.1.0\n', ranDist: false }),
    );
    expect(broadsheet(['--version']).ranDist).toBe(true);
  });

  it('does not run dist/ once a source file is added or deleted', () => {
    const folder = join(root, 'src/normalize');
    const added = join(folder, 'added.ts');
    withChange(
      folder,
      () => writeFileSync(added, 'export const added = 1;\n'),
      () => {
        expect(broadsheet(['--version']).ranDist).toBe(false);
        unlinkSync(added);
        // The folder's time records the deletion: dist/ still holds what the deleted file built.
        expect(broadsheet(['--version']).ranDist).toBe(false);
      },
    );
    expect(broadsheet(['--version']).ranDist).toBe(true);
  });

  it('does not run dist/ when the build did not finish (no stamp) or dist/ is missing', () => {
    const stamp = join(root, 'dist/.stamp');
    renameSync(stamp, `${stamp}-pending`);
    try {
      expect(broadsheet(['--version'])).toMatchObject({ status: 0, stdout: '0.1.0\n', ranDist: false });
    } finally {
      renameSync(`${stamp}-pending`, stamp);
    }
    renameSync(join(root, 'dist'), join(root, 'dist-away'));
    try {
      expect(broadsheet(['--version'])).toMatchObject({ status: 0, stdout: '0.1.0\n', ranDist: false });
    } finally {
      renameSync(join(root, 'dist-away'), join(root, 'dist'));
    }
    expect(broadsheet(['--version']).ranDist).toBe(true);
  });

  it('prints the same --version, help and usage errors from dist/ as from src/', () => {
    const runs = [
      ['--version'],
      ['--help'],
      ...['build', 'inspect', 'send', 'subscribers', 'serve', 'init'].map((name) => [name, '--help']),
      ['help', 'subscribers', 'add'],
      ['publish'],
      ['serve', '--port', 'eighty'],
    ];
    const fromDist = runs.map(broadsheet);
    expect(fromDist.every((run) => run.ranDist)).toBe(true);
    const stamp = join(root, 'dist/.stamp');
    renameSync(stamp, `${stamp}-away`);
    try {
      const fromSrc = runs.map(broadsheet);
      expect(fromSrc.some((run) => run.ranDist)).toBe(false);
      expect(fromDist.map(({ ranDist, ...run }) => run)).toEqual(fromSrc.map(({ ranDist, ...run }) => run));
    } finally {
      renameSync(`${stamp}-away`, stamp);
    }
  });

  it('hashes the same sources as the render keys computed from src/ (codeVersion)', () => {
    const print = (args: string[], module: string) =>
      spawnSync(
        process.execPath,
        [...args, '--input-type=module', '-e', `console.log((await import('${module}')).codeVersion())`],
        { cwd: root, encoding: 'utf8' },
      );
    const fromDist = print([], './dist/pipeline/code-version.js');
    const fromSrc = print(['--import', 'tsx'], './src/pipeline/code-version.ts');
    expect(fromDist.status, fromDist.stderr).toBe(0);
    expect(fromSrc.status, fromSrc.stderr).toBe(0);
    expect(fromDist.stdout).toMatch(/^[\w-]{27}\n$/);
    expect(fromDist.stdout).toBe(fromSrc.stdout);
  });
});
