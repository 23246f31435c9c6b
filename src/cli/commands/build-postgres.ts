import { type BuildReport, type PipelineOptions, runPipeline } from '../../pipeline/index.ts';
import type { BuildSession } from '../../state/store/build-sync.ts';
import { type Context, ExitCode } from '../context.ts';

/**
 * A pipeline run whose state lives in PostgreSQL (BROADSHEET_DATABASE_URL): the build's tables
 * are pulled into a local working copy under the database's build lock, the pipeline runs on it
 * unchanged, and what it changed is written back before out/ is published (build-sync.ts). A
 * fresh CI runner with no state file keeps every id, date and edition of the runs before it.
 */
export async function runPipelineOnPostgres(
  ctx: Context,
  url: string,
  options: PipelineOptions,
): Promise<BuildReport | number> {
  const { BuildSyncError, openBuildSession, openWorkingCopy } = await import(
    '../../state/store/build-sync.ts'
  );
  let session: BuildSession;
  try {
    session = await openBuildSession(url, {
      onWait: (message) => process.stderr.write(`${message}\n`),
      localState: ctx.path(ctx.loaded.config.paths.state),
    });
  } catch (error) {
    if (error instanceof BuildSyncError) return refuse(error.message);
    throw error;
  }
  try {
    const { identities, editions } = session.pulled;
    ctx.log(`state: ${identities} stories and ${editions} editions from PostgreSQL`);
    const host: Context = {
      ...ctx,
      openState: () => openWorkingCopy(session.path),
      beforePublish: async () => {
        const pushed = await session.push();
        ctx.log(
          `state: wrote ${pushed.identities} new or changed stories and ${pushed.editions} editions to PostgreSQL`,
        );
      },
    };
    return await runPipeline(host, options);
  } catch (error) {
    if (error instanceof BuildSyncError) return refuse(error.message);
    throw error;
  } finally {
    await session.close();
  }
}

function refuse(message: string): number {
  process.stderr.write(`broadsheet build: ${message}\n`);
  return ExitCode.usage;
}
