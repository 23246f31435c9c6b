// `send` runs in a worker thread with a larger young generation than Node's default. Sending
// through nodemailer allocates ~1 MB of short-lived strings per message, and the composed messages
// in flight (~75 KB each, a dozen at a time) are young objects every scavenge copies: with the
// default young generation (16 MB semi-spaces) scavenges ran 4 times as often and took ~0.2 ms per
// message more of the sending thread. V8 sizes the young generation only at start-up
// (`--max-semi-space-size`; `v8.setFlagsFromString` at run time does nothing for it), but a Worker
// takes its own (`resourceLimits.maxYoungGenerationSizeMb`), and a thread, unlike a second node
// process, dies with the process: Ctrl-C, SIGTERM and SIGKILL stop `send` exactly as before.
// See docs/delivery.md ("Speed") for the measurements.
import { isMainThread, Worker, workerData } from 'node:worker_threads';

/** Young generation of the send thread: V8 splits it into 3 (two semi-spaces and a large-object space), so 64 MB semi-spaces. */
export const SEND_YOUNG_GENERATION_MB = 192;

/** Global options that take a value (see createProgram in main.ts): the word after them is not the command. */
const OPTIONS_WITH_VALUE = new Set(['-c', '--config']);

/** Whether these arguments (after `node bin.js`) run the `send` command. */
export function isSendCommand(args) {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') return args[i + 1] === 'send';
    if (OPTIONS_WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg === 'send';
  }
  return false;
}

/**
 * Runs `entry` (bin.js) with `args` in the send thread and resolves to its exit code. Its stdout
 * and stderr come through this thread's, in order; an error it does not catch is printed as
 * Node prints an uncaught one, exit code 1.
 */
export function runInSendThread(entry, args) {
  return new Promise((resolve) => {
    const worker = new Worker(entry, {
      argv: args,
      resourceLimits: { maxYoungGenerationSizeMb: SEND_YOUNG_GENERATION_MB },
      workerData: {
        sendThread: true,
        stderrIsTTY: process.stderr.isTTY === true,
        columns: process.stderr.columns,
      },
    });
    let failed = false;
    worker.on('error', (error) => {
      failed = true;
      process.stderr.write(`${error?.stack ?? error}\n`);
    });
    worker.on('exit', (code) => resolve(failed && code === 0 ? 1 : code));
  });
}

/**
 * In the send thread: stderr is a pipe to the main thread, so it reports the main thread's
 * terminal, as the progress bar decides on it (silent when stderr is not a terminal).
 */
export function adoptParentTerminal() {
  if (isMainThread || !workerData?.sendThread) return;
  process.stderr.isTTY = workerData.stderrIsTTY;
  if (workerData.columns) process.stderr.columns = workerData.columns;
}
