import type { Command } from 'commander';
import { publishChangedFeeds } from '../../websub/index.ts';
import { createContext, ExitCode, type GlobalOptions } from '../context.ts';

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('tell the WebSub hub (site.hub) which feeds in out/ changed since the last ping')
    .addHelpText(
      'after',
      '\nExamples:\n  broadsheet build && broadsheet publish\n  broadsheet publish --quiet\n\n' +
        'Run it after `broadsheet build` (and after deploying out/, so the hub fetches the new feeds).\n' +
        'Only feeds whose bytes changed are named; when nothing changed, nothing is sent.\n' +
        'A refused ping is retried by the next run.\n\n' +
        'Exit codes:\n  0  ok (pinged, or nothing to ping)\n  2  no site.hub configured, or out/ has no build yet\n  3  the hub refused a ping or was not reached',
    )
    .action(async (_options: unknown, command: Command) => {
      const ctx = createContext(command.optsWithGlobals<GlobalOptions>());
      const { site, paths } = ctx.loaded.config;
      if (!site.hub) {
        process.stderr.write('broadsheet publish: no WebSub hub configured (site.hub); nothing to do\n');
        process.exitCode = ExitCode.usage;
        return;
      }
      const db = ctx.openState();
      try {
        const result = await publishChangedFeeds(db, {
          outDir: ctx.path(paths.out),
          baseUrl: site.baseUrl,
          hub: site.hub,
          now: ctx.now.toUTC().toISO() ?? '',
        }).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
          process.stderr.write(
            `broadsheet publish: ${paths.out} has no build yet; run broadsheet build first\n`,
          );
          return null;
        });
        if (result === null) {
          process.exitCode = ExitCode.usage;
          return;
        }
        for (const topic of result.pinged) ctx.log(`pinged: ${topic}`);
        for (const failure of result.failed)
          process.stderr.write(`error: ${failure.topic}: ${failure.reason} [websub/ping-failed]\n`);
        ctx.log(
          `websub: ${result.pinged.length} feed(s) pinged, ${result.unchanged} unchanged, ${result.failed.length} failed (${site.hub})`,
        );
        process.exitCode = result.failed.length > 0 ? ExitCode.failure : ExitCode.ok;
      } finally {
        db.close();
      }
    });
}
