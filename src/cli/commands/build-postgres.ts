import { type BuildReport, type PipelineOptions, runPipeline } from '../../pipeline/index.ts';
import type { BuildSession } from '../../state/store/index.ts';
import { type Context, ExitCode } from '../context.ts';
import { count } from '../plural.ts';

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
  const { BuildSyncError, openBuildSession, openWorkingCopy } = await import('../../state/store/index.ts');
  let session: BuildSession;
  const started = performance.now();
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
    if (session.swept > 0)
      ctx.log(
        `state: removed ${count(session.swept, 'working copy', 'working copies')} left by killed builds`,
      );
    ctx.log(
      `state: ${count(identities, 'story', 'stories')} and ${count(editions, 'edition')} from PostgreSQL in ${since(started)}`,
    );
    const host: Context = {
      ...ctx,
      openState: () => openWorkingCopy(session.path),
      beforePublish: async () => {
        const pushing = performance.now();
        const pushed = await session.push();
        ctx.log(
          `state: wrote ${count(pushed.identities, 'new or changed story', 'new or changed stories')} and ${count(pushed.editions, 'edition')} to PostgreSQL in ${since(pushing)}`,
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

/** Seconds since `start` (a performance.now() reading), as the build summary prints them. */
function since(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(2)} s`;
}
