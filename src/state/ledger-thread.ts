import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CONNECTION_PRAGMAS, type StateDb } from './db.ts';
import {
  type Claim,
  ensureLedgerTable,
  groupCommit,
  type LedgerStep,
  recordSentAndClaim,
  type SentRow,
} from './ledger.ts';

/**
 * Where the sender's group commits go: `sent` rows and claims in one transaction, resolved with
 * true for each claim taken once the transaction is committed (see `recordSentAndClaim`).
 */
export interface LedgerCommits {
  commit(sent: SentRow[], claims: Claim[]): Promise<boolean[]>;
  /** After the last commit has resolved: closes the thread's connection and ends it. */
  close(): Promise<void>;
}

/**
 * The sender's commits for `db`: on a thread of their own for a state file, in this thread for an
 * in-memory database (which no other connection can open).
 *
 * Why a thread: better-sqlite3 is synchronous, so a durable commit (an fsync, synchronous=FULL)
 * on the event loop stalls every SMTP connection for its duration; measured, that was most of the
 * gap between `send` and plain nodemailer. On its own connection in a worker thread the fsync
 * runs while the event loop keeps the sockets busy; the sender still awaits each commit before it
 * hands the claimed messages over, so the guarantee (a row is `sending` in the file before its
 * message leaves) is the same.
 *
 * The thread takes ≈ 70 ms to start: until its connection is open, commits run here (one at a
 * time either way: each resolves before the sender asks for the next, so none overtakes another).
 * If it cannot open the file at all, they stay here, as safe and only slower.
 */
export function ledgerCommits(db: StateDb): LedgerCommits {
  ensureLedgerTable(db);
  const here = inThisThread(db);
  if (db.memory) return here;
  const thread = startCommitThread(db.name);
  return {
    commit: (sent, claims) => (thread.opened() ? thread : here).commit(sent, claims),
    close: () => thread.close(),
  };
}

/** The commits on `db` itself, in this thread (each one blocks the event loop for its fsync). */
export function inThisThread(db: StateDb): LedgerCommits {
  return {
    commit: async (sent, claims) => recordSentAndClaim(db, sent, claims),
    close: async () => {},
  };
}

/** The commits on a thread, with the thread itself (tests end it, as a crash would). */
export interface CommitThread extends LedgerCommits {
  thread: Worker;
  /** Its connection is open: from then on its commits are the ones to use. */
  opened(): boolean;
}

type Request = { id: number; steps: LedgerStep[]; durable: boolean } | { close: true };
type Reply =
  | { opened: true }
  | { id: number; changes: number[] }
  | { id: number; error: string }
  | { failed: string };

/**
 * The thread's code, CommonJS evaluated in the worker (no file to find, from src/ through tsx or
 * from dist/ alike). It opens its own connection to the state file, which must exist (a new
 * empty file beside a moved one would take claims nobody reads), with the state's pragmas, and
 * runs each request's statements in one transaction: at synchronous=FULL when `durable`, else at
 * NORMAL, as `recordSentAndClaim` does.
 */
const THREAD_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.path, { fileMustExist: true });
  for (const pragma of workerData.pragmas) db.pragma(pragma);
  parentPort.postMessage({ opened: true });
} catch (error) {
  parentPort.postMessage({ failed: String(error && error.message ? error.message : error) });
  parentPort.close();
  return;
}
const statements = new Map();
const prepared = (sql) => {
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
};
const run = db.transaction((steps) => steps.map((step) => prepared(step.sql).run(...step.params).changes));
parentPort.on('message', (request) => {
  if (request.close) {
    db.close();
    parentPort.close();
    return;
  }
  try {
    if (!request.durable) db.pragma('synchronous = NORMAL');
    try {
      parentPort.postMessage({ id: request.id, changes: run(request.steps) });
    } finally {
      if (!request.durable) db.pragma('synchronous = FULL');
    }
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: String(error && error.message ? error.message : error) });
  }
});
`;

/**
 * The commits on a connection of their own to the state file at `path`, in a worker thread.
 * If the thread cannot open the file, or stops, every commit waiting or asked for after rejects
 * with an error saying so: the messages of those claims are never handed over, and rows whose
 * commit was under way may stay `sending` (in doubt: reported by the next run, never resent).
 */
export function startCommitThread(path: string): CommitThread {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(`(() => {${THREAD_CODE}})()`, {
    eval: true,
    workerData: { driver, path, pragmas: CONNECTION_PRAGMAS },
  });
  const waiting = new Map<number, { resolve: (changes: number[]) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let stopped: Error | null = null;
  let opened = false;
  let closing = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // Keeps the process alive only while a commit is awaited, so a sender that never closes it
  // does not hang the process at exit.
  worker.unref();
  const stop = (error: Error) => {
    stopped ??= error;
    for (const entry of waiting.values()) entry.reject(stopped);
    waiting.clear();
    worker.unref();
  };
  worker.on('message', (reply: Reply) => {
    if ('opened' in reply) {
      opened = true;
      return;
    }
    if ('failed' in reply)
      return stop(new Error(`the ledger's commit thread could not open ${path}: ${reply.failed}`));
    const entry = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (waiting.size === 0) worker.unref();
    if ('error' in reply) entry?.reject(new Error(`the ledger's commit failed: ${reply.error}`));
    else entry?.resolve(reply.changes);
  });
  worker.on('error', (error) => stop(new Error(`the ledger's commit thread failed: ${error.message}`)));
  worker.on('exit', (code) => {
    if (!closing) stop(new Error(`the ledger's commit thread stopped (exit code ${code})`));
  });
  const post = (request: Request) => worker.postMessage(request);
  return {
    thread: worker,
    opened: () => opened,
    commit: (sent, claims) => {
      const { steps, durable } = groupCommit(sent, claims);
      return new Promise<number[]>((resolve, reject) => {
        if (stopped) return reject(stopped);
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.ref();
        post({ id, steps, durable });
      }).then((changes) => changes.slice(sent.length).map((n) => n === 1));
    },
    close: async () => {
      if (closing) return;
      closing = true;
      // Held open until the thread has closed its connection, whatever else the process has left.
      worker.ref();
      if (stopped) await worker.terminate();
      else post({ close: true });
      await exited;
    },
  };
}
