import { randomBytes } from 'node:crypto';
import {
  chooseRoute,
  type EditionRenders,
  generateSecret,
  noDeliveries,
  normalizeEmail,
  openRoute,
  type PlannedDeliveries,
  plannedFor,
  readFileIfExists,
  routeRatePerSecond,
} from '../../deliver/index.ts';
import { sendEditionShared } from '../../deliver/shared-sender.ts';
import { editionComposer } from '../../pipeline/index.ts';
import { readEmailTemplates } from '../../pipeline/newsletter.ts';
import { writeFileAtomic } from '../../pipeline/output.ts';
import { type DeliveryStore, postgresStore, sharedRateSlot } from '../../state/store/index.ts';
import { type Context, ExitCode, printDiagnostics } from '../context.ts';
import { startProgress } from '../progress.ts';
import { composerHost, printPlan, reportSummary, sendTest } from './send.ts';

const BACKOFF_MS = 1000;

interface SharedSendOptions {
  edition: string;
  dryRun?: boolean;
  testTo?: string;
  resendInDoubt?: boolean;
}

/**
 * `broadsheet send` with BROADSHEET_DATABASE_URL: one of any number of senders of the edition,
 * on this or other machines, sharing the PostgreSQL ledger and one rate budget. No file lock: the
 * ledger's row claims (FOR UPDATE SKIP LOCKED) are what keep two senders off one subscriber.
 */
export async function runSharedSend(ctx: Context, url: string, options: SharedSendOptions): Promise<number> {
  if (options.testTo !== undefined) {
    const address = normalizeEmail(options.testTo);
    if ('error' in address) return fail(`--test-to: ${address.error}`);
    options = { ...options, testTo: address.email };
  }
  const { config } = ctx.loaded;
  const concurrency = config.delivery.maxConnections;
  const store = await postgresStore(url, { poolSize: concurrency + 2 });
  try {
    return await sendWithStore(ctx, store, url, options);
  } finally {
    await store.close();
  }
}

async function sendWithStore(
  ctx: Context,
  store: DeliveryStore,
  url: string,
  options: SharedSendOptions,
): Promise<number> {
  const { config } = ctx.loaded;
  const stored = await store.getStoredEdition(options.edition);
  if (!stored)
    return fail(
      options.edition === 'latest'
        ? 'no newsletter edition in the database yet: run `broadsheet build` with BROADSHEET_DATABASE_URL set (or `broadsheet state migrate` for editions built without it)'
        : `no edition "${options.edition}" in the database`,
    );
  const { edition } = stored;
  const { templates, diagnostics } = readEmailTemplates(ctx.path(config.paths.templates));
  if (diagnostics.some((d) => d.severity === 'error')) {
    printDiagnostics(diagnostics);
    return ExitCode.usage;
  }
  const smtp = ctx.env.smtpUrl;
  const { dryRun = false } = options;
  let signingKey = ctx.env.unsubscribeSecret;
  if (!signingKey && smtp && !dryRun)
    return fail(
      'BROADSHEET_UNSUBSCRIBE_SECRET is not set: sending real mail needs it to sign unsubscribe links',
    );
  // A dry run changes nothing: it reads the secret if there is one, and any key will do for counting.
  if (dryRun) signingKey ??= (await store.readSecret()) ?? randomBytes(32).toString('base64url');
  signingKey ??= (await store.getOrCreateSecret(generateSecret)).secret;
  const key = signingKey;

  const selections = (await store.activeTopicSelections()).map((topics) => ({ topics }));
  const composed = await editionComposer({
    ...composerHost(ctx),
    edition,
    selections,
    templates,
    signingKey: key,
    liveMail: Boolean(smtp) && !dryRun,
  });
  if ('error' in composed) return fail(composed.error);
  const { compose, renders } = composed;
  const folder = ctx.path(`${config.delivery.outbox}/${edition.id}`);
  const route = chooseRoute(smtp, {
    folder,
    shown: folder,
    configured: `${config.delivery.outbox}/${edition.id}`,
  });
  if (dryRun) return printPlan(edition, await planShared(store, edition.id, renders, options), route);
  const transport = openRoute(route, {
    maxConnections: config.delivery.maxConnections,
    dkim: ctx.env.dkim,
    write: writeFileAtomic,
    read: readFileIfExists,
  });
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const rate = routeRatePerSecond(route, config.delivery.ratePerSecond);
  const slots = Number.isFinite(rate) ? sharedRateSlot(url) : null;
  try {
    if (options.testTo !== undefined) {
      const known = await store.findSubscriberByEmail(options.testTo);
      return await sendTest(ctx, known, options.testTo, compose, transport, edition.id);
    }
    if (options.resendInDoubt) {
      const released = await store.releaseInDoubt(edition.id, new Date().toISOString());
      ctx.log(`--resend-in-doubt: ${released} in-doubt message(s) will be sent again`);
    }
    ctx.log(
      `sending edition ${edition.id} "${edition.subject}" via ${transport.description} (shared database)`,
    );
    const progress = startProgress('sending', await store.countSubscribers('active'), ctx.quiet);
    const summary = await sendEditionShared({
      store,
      editionId: edition.id,
      listId: config.delivery.listId,
      compose: (subscriber) => compose(subscriber),
      transport,
      concurrency: config.delivery.maxConnections,
      throttle: async () => {
        const wait = slots ? await slots.reserve(edition.id, 1000 / rate) : 0;
        if (wait > 0) await sleep(wait);
      },
      retries: config.delivery.retries,
      backoffMs: BACKOFF_MS,
      bounceThreshold: config.delivery.bounceThreshold,
      now: () => new Date().toISOString(),
      sleep,
      onProgress: () => progress.tick(),
    });
    progress.stop();
    return reportSummary(ctx, edition.id, summary);
  } finally {
    await slots?.close();
    await transport.close();
  }
}

/**
 * The dry run on the shared ledger: the active, unsuppressed list read in pages (never whole),
 * each page's ledger rows looked up, counted by the rules `send` follows. A row another sender
 * holds right now counts as in doubt, as it would if that sender died.
 */
async function planShared(
  store: DeliveryStore,
  editionId: string,
  renders: EditionRenders,
  options: SharedSendOptions,
): Promise<PlannedDeliveries> {
  const counts = noDeliveries();
  let after = 0;
  for (;;) {
    const page = await store.activeSubscribersAfter(after, 1000);
    if (page.length === 0) return counts;
    const states = await store.deliveryStatesFor(
      editionId,
      page.map((s) => s.id),
    );
    for (const subscriber of page)
      counts[plannedFor(states.get(subscriber.id), subscriber, renders, Boolean(options.resendInDoubt))]++;
    after = (page[page.length - 1] as { id: number }).id;
  }
}

function fail(message: string, code: number = ExitCode.usage): number {
  process.stderr.write(`broadsheet send: ${message}\n`);
  return code;
}
