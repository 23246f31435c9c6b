import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * One throwaway PostgreSQL cluster per test run, shared by every test file that asks for it, and
 * a fresh database per caller.
 *
 * The cluster starts lazily (the first file that calls `freshDatabase` starts it; the others wait
 * for its "ready" file) and `tests/helpers/postgres-global.ts` (vitest globalSetup) stops it at
 * the end of the run, so a run that touches no PostgreSQL test pays nothing. postgres refuses to
 * run as root: as root the cluster runs as `nobody` (runuser), its folder owned by `nobody`.
 *
 * No binaries: under CI (CI=true) that is an error (CI installs Debian's `postgresql`, see
 * .ci/run); elsewhere the PostgreSQL half of a describe.each is skipped with a note on stderr.
 */

/** Where this run's cluster lives: the globalSetup names it (one per run), else one per process. */
export function clusterDir(): string {
  return process.env.BROADSHEET_TEST_PG_DIR ?? join(tmpdir(), `broadsheet-pg-${process.pid}`);
}

/** initdb, pg_ctl and postgres: PATH first (/usr/local/bin here), then Debian's layout. */
export function findPostgresBin(): string | null {
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const onPath = which.stdout.trim();
  if (which.status === 0 && onPath) return onPath.replace(/\/initdb$/, '');
  const debian = '/usr/lib/postgresql';
  if (!existsSync(debian)) return null;
  const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(debian, version, 'bin');
    if (existsSync(join(bin, 'initdb'))) return bin;
  }
  return null;
}

/** Whether PostgreSQL tests run here; throws under CI when they cannot (never a silent skip). */
export function postgresAvailable(): boolean {
  if (findPostgresBin()) return true;
  const message =
    'PostgreSQL server binaries (initdb, pg_ctl) not found on PATH nor in /usr/lib/postgresql/*/bin';
  if (process.env.CI) throw new Error(`${message}: CI must install them (apt-get install postgresql)`);
  process.stderr.write(`note: ${message}; the PostgreSQL backend tests are skipped on this machine\n`);
  return false;
}

function asServerUser(bin: string, args: string[]): void {
  const root = process.getuid?.() === 0;
  const [command, fullArgs] = root ? ['runuser', ['-u', 'nobody', '--', bin, ...args]] : [bin, args];
  execFileSync(command, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startCluster(dir: string, bin: string): Promise<string> {
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  if (process.getuid?.() === 0) {
    // nobody must own the cluster folder, and be able to reach it.
    chownSync(dir, 65534, 65534);
    chownSync(data, 65534, 65534);
  }
  asServerUser(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  // fsync off: a test cluster is thrown away, and the durability the ledger relies on is PG's
  // commit protocol, which fsync=off does not change for a process that is killed (only power loss).
  asServerUser(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    '-w',
    'start',
  ]);
  return `postgres://postgres@127.0.0.1:${port}`;
}

/** Stops the cluster in `dir` if one was started there, and removes the folder. */
export function stopCluster(dir: string): void {
  const bin = findPostgresBin();
  if (bin && existsSync(join(dir, 'data', 'postmaster.pid'))) {
    try {
      asServerUser(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already gone: nothing to stop.
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The cluster's base URL (no database), starting it if this is the first caller of the run. */
export async function clusterUrl(): Promise<string> {
  const dir = clusterDir();
  const ready = join(dir, 'ready');
  const lock = join(dir, 'starting');
  mkdirSync(dir, { recursive: true });
  let owner = false;
  try {
    mkdirSync(lock);
    owner = true;
  } catch {
    // Another test file is starting it: wait for its ready file below.
  }
  if (owner) {
    const bin = findPostgresBin();
    if (!bin) throw new Error('PostgreSQL binaries not found (see postgresAvailable)');
    try {
      writeFileSync(ready, await startCluster(dir, bin));
    } catch (error) {
      writeFileSync(join(dir, 'failed'), String((error as Error).message));
      throw error;
    }
    if (!process.env.BROADSHEET_TEST_PG_DIR) process.on('exit', () => stopCluster(dir));
  }
  for (let waited = 0; waited < 120_000; waited += 100) {
    if (existsSync(ready)) return readFileSync(ready, 'utf8');
    if (existsSync(join(dir, 'failed')))
      throw new Error(`the test cluster failed to start: ${readFileSync(join(dir, 'failed'), 'utf8')}`);
    await sleep(100);
  }
  throw new Error(`the test cluster in ${dir} did not start within 120 s`);
}

let counter = 0;

/** A new, empty database on the run's cluster: its URL. */
export async function freshDatabase(label = 'test'): Promise<string> {
  const base = await clusterUrl();
  const name = `${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${++counter}`;
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return `${base}/${name}`;
}
