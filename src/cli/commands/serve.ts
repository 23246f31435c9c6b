import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { createUnsubscribeHandler, type UnsubscribeList, unsubscribeEndpoint } from '../../deliver/index.ts';
import {
  type BuildMemo,
  type BuildReport,
  createBuildMemo,
  loadSiteTheme,
  NoInputError,
  runPipeline,
  SiteTemplateFailure,
} from '../../pipeline/index.ts';
import { defaultSiteTheme, siteInfoFromConfig } from '../../render/index.ts';
import type { StateDb } from '../../state/index.ts';
import { IdentityMemo, LockedError } from '../../state/index.ts';
import { printBuildSummary } from '../build-summary.ts';
import {
  type Context,
  createContext,
  describeFailure,
  ExitCode,
  formatDiagnostic,
  type GlobalOptions,
  reloadContext,
  untilInterrupted,
} from '../context.ts';
import { audienceRoutes } from '../serve/audience-routes.ts';
import { PREVIEW_PATH, type SiteShell } from '../serve/preview.ts';
import {
  type PreviewServer,
  type RebuildResult,
  type RouteHandler,
  startPreviewServer,
} from '../serve/server.ts';
import { sesRoute } from '../serve/ses-route.ts';
import { withSigningSecret } from '../serve/signed-route.ts';
import { stateSnapshots } from '../serve/snapshot.ts';
import { buildInputs, describeChanges } from '../serve/watcher.ts';

interface ServeOptions {
  port?: number;
  host?: string;
  watch: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('build, then serve out/ on localhost, rebuilding and reloading the page on every change')
    .option(
      '-p, --port <port>',
      'port to listen on, 0 for any free one (default: config serve.port, 8080)',
      parsePort,
    )
    .option('--host <host>', 'interface to listen on (default: config serve.host, 127.0.0.1)')
    .option('--no-watch', 'serve what is built; do not watch articles/, templates/ and the config file')
    .addHelpText(
      'after',
      `
Open /__preview for the newsletter at 375 and 600 px beside links to every feed.
Pages reload by themselves after each rebuild and show the build's errors and warnings
(serve mode only; nothing is added to out/). Builds run on a snapshot of the state, so
serve records nothing: \`broadsheet build\` publishes. It also answers unsubscribe links
(delivery.unsubscribeUrl's path), so outbox messages can be tried end to end locally.

Examples:
  broadsheet serve
  broadsheet serve --port 3000
  broadsheet serve --no-watch --quiet`,
    )
    .action(async (options: ServeOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const ctx = createContext(globals);
      const server = await startServe(ctx, globals, options);
      if (!server) {
        process.exitCode = ExitCode.usage;
        return;
      }
      await untilInterrupted(() => server.close());
      process.exitCode = ExitCode.ok;
    });
}

/** Runs a build and keeps what it reported (errors and warnings) for the pages' problem strip. */
async function buildReporting(ctx: Context, memo: BuildMemo): Promise<RebuildResult> {
  // On the snapshot: the unsent edition is shown as it would be rebuilt now (see previewUnsent).
  const options = { newsletter: true, previewUnsent: true };
  let report: BuildReport;
  try {
    report = await runPipeline(ctx, options, memo);
  } catch (error) {
    // Nothing was built (no articles, another build running): the last build stays up, and the
    // pages' problem strip says why.
    if (error instanceof SiteTemplateFailure) {
      const problems = error.diagnostics.map(formatDiagnostic);
      process.stderr.write(`${problems.join('\n')}\n`);
      return { reload: false, problems };
    }
    if (!(error instanceof NoInputError || error instanceof LockedError)) throw error;
    const problem = error instanceof NoInputError ? formatDiagnostic(error.diagnostic) : error.message;
    process.stderr.write(`${problem}\n`);
    return { reload: false, problems: [problem] };
  }
  printBuildSummary(ctx, options, report);
  return { reload: true, problems: report.diagnostics.map(formatDiagnostic) };
}

/**
 * The site's look for serve's own pages (preview, errors), compiled per request: a template being
 * edited shows at once. A broken one is reported by the build; these pages fall back to the default.
 */
function serveShell(ctx: Context): SiteShell {
  const site = siteInfoFromConfig(ctx.loaded.config, '');
  try {
    return { site, theme: loadSiteTheme(ctx) };
  } catch (error) {
    if (!(error instanceof SiteTemplateFailure)) throw error;
    return { site, theme: defaultSiteTheme() };
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return port;
}

/**
 * Listens, builds once, then serves. Each rebuild reads the config afresh (it may be the file that
 * changed); a config that no longer validates is reported and the last good output stays up.
 * Returns null when the server cannot listen (port taken).
 */
export async function startServe(
  ctx: Context,
  globals: GlobalOptions,
  options: ServeOptions,
): Promise<PreviewServer | null> {
  const { config } = ctx.loaded;
  const out = ctx.path(config.paths.out);
  // One connection to the real state, for the unsubscribe endpoint, for as long as the server runs.
  const db = ctx.openState();
  const scratch = mkdtempSync(join(tmpdir(), 'broadsheet-serve-'));
  // One memo for the whole session: a rebuild after a save redoes only what the save touched.
  const memo = createBuildMemo();
  const snapshots = stateSnapshots(db, join(scratch, 'state.db'), () => {
    // Identities loaded from an older snapshot are not this one's.
    memo.identities = new IdentityMemo();
  });
  const onSnapshot = (built: Context): Context => ({ ...built, openState: snapshots });
  // With BROADSHEET_DATABASE_URL an unsubscribe (a signup, a preference, a bounce) must reach the database the senders mail from,
  // not only the local file (loaded only then: serve alone never needs pg).
  const shared = ctx.env.databaseUrl
    ? await (await import('../../state/store/index.ts')).postgresStore(ctx.env.databaseUrl, { poolSize: 2 })
    : null;
  const closeShared = () => void shared?.close().catch(() => {});
  const audience = audienceRoutes(ctx, db, shared);
  let current = ctx;
  const inputs = buildInputs(ctx);
  const watched = options.watch ? inputs.watch : [];
  let server: PreviewServer;
  try {
    server = await startPreviewServer({
      root: out,
      host: options.host ?? config.serve.host,
      port: options.port ?? config.serve.port,
      siteTitle: () => current.loaded.config.site.title,
      shell: () => serveShell(current),
      siteBaseUrl: () => current.loaded.config.site.baseUrl,
      watch: watched,
      ignore: inputs.ignore,
      routes: { ...unsubscribeRoute(ctx, db, shared), ...sesRoute(ctx, db, shared), ...audience.routes },
      onClose: async () => {
        await audience.close();
        closeShared();
        db.close();
        rmSync(scratch, { recursive: true, force: true });
      },
      buildOnStart: true,
      // A failed build (a folder missing, a bug) is reported; the server keeps the last good output.
      onError: (error) => process.stderr.write(`broadsheet serve: build failed: ${describeFailure(error)}\n`),
      rebuild: async (changed) => {
        if (changed.length === 0) return buildReporting(onSnapshot(ctx), memo);
        ctx.log(`changed: ${describeChanges(changed)}`);
        const next = reloadContext(globals);
        if ('invalid' in next) {
          ctx.log('config is invalid: still serving the last good build');
          return { reload: false, problems: next.invalid.map(formatDiagnostic) };
        }
        current = next;
        return buildReporting(onSnapshot(current), memo);
      },
    });
  } catch (error) {
    await audience.close();
    closeShared();
    db.close();
    rmSync(scratch, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    process.stderr.write(
      `broadsheet serve: cannot listen on port ${options.port ?? config.serve.port} (${code}); pick another with --port\n`,
    );
    return null;
  }
  // The first build runs once the port is ours; the caller gets a server with out/ built.
  await server.idle();
  ctx.log(
    `serving ${relative(process.cwd(), out) || '.'}/ at ${server.url}  (newsletter preview: ${server.url}${PREVIEW_PATH.slice(1)})`,
  );
  ctx.log(
    'a preview: builds run on a snapshot of the state and record nothing; `broadsheet build` publishes',
  );
  if (watched.length)
    ctx.log(
      `watching ${watched.map((path) => relative(process.cwd(), path) || path).join(', ')}; Ctrl-C stops`,
    );
  return server;
}

/**
 * Delivery's unsubscribe endpoint (RFC 8058 one-click POSTs and the confirmation page), mounted
 * at the path of `delivery.unsubscribeUrl` (default `<baseUrl>unsubscribe`) so the whole loop
 * (send to the outbox, click the link in the .eml) can be tried locally. The secret is looked up
 * per request: `send` may create the local one while serve runs. Never creates one itself.
 */
function unsubscribeRoute(
  ctx: Context,
  db: StateDb,
  shared: UnsubscribeList | null,
): Record<string, RouteHandler> {
  const { config } = ctx.loaded;
  const path = unsubscribeEndpoint(config).pathname;
  const handler = withSigningSecret(ctx, db, 'unsubscribe', (secret) =>
    createUnsubscribeHandler({
      ...(shared ? { list: shared } : { db }),
      secret,
      path,
      siteTitle: config.site.title,
      language: config.site.language,
      // The CLI is the impure edge: a real clock for when someone unsubscribed.
      now: () => new Date().toISOString(),
    }),
  );
  return { [path]: handler };
}
